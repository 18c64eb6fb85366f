using DeviceAgent.Tpm.Constants;
using DeviceAgent.Tpm.Structures;

namespace DeviceAgent.Tpm.Provisioning;

/// <summary>
/// Object templates from the TCG documents: the EK templates of the TCG EK Credential Profile for
/// TPM Family 2.0 (Annex B.3.3, templates L-1 and L-2, low range), the SRK template of the TCG TPM
/// v2.0 Provisioning Guidance (7.5.1), an attestation key, and the device identity key.
/// </summary>
public static class TcgTemplates
{
    /// <summary>The SRK's persistent handle (TCG Provisioning Guidance 7.5.1; TCG handle registry).</summary>
    public const uint SrkHandle = 0x81000001;

    /// <summary>The EK's persistent handle (TCG EK Credential Profile 2.2.1.4).</summary>
    public const uint EkHandle = 0x81010001;

    /// <summary>
    /// The EK's authPolicy: PolicySecret(TPM_RH_ENDORSEMENT) (EK Credential Profile B.3.2):
    /// only who knows the endorsement hierarchy's auth value can use the EK.
    /// </summary>
    public static ReadOnlyMemory<byte> EkPolicy { get; } =
        Convert.FromHexString("837197674484B3F81A90CC8D46A5D724FD52D76E06520B64F2A1DA1B331469AA");

    /// <summary>fixedTPM|fixedParent|sensitiveDataOrigin|adminWithPolicy|restricted|decrypt (0x000300B2).</summary>
    public const TpmaObject EkAttributes = TpmaObject.FixedTpm | TpmaObject.FixedParent | TpmaObject.SensitiveDataOrigin
        | TpmaObject.AdminWithPolicy | TpmaObject.Restricted | TpmaObject.Decrypt;

    /// <summary>fixedTPM|fixedParent|sensitiveDataOrigin|userWithAuth|noDA|restricted|decrypt (0x00030472).</summary>
    public const TpmaObject SrkAttributes = TpmaObject.FixedTpm | TpmaObject.FixedParent | TpmaObject.SensitiveDataOrigin
        | TpmaObject.UserWithAuth | TpmaObject.NoDa | TpmaObject.Restricted | TpmaObject.Decrypt;

    /// <summary>
    /// The device identity key's attributes: fixedTPM|fixedParent|sensitiveDataOrigin|userWithAuth|sign.
    /// fixedTPM and fixedParent make it non-duplicable; sensitiveDataOrigin says the TPM generated it.
    /// </summary>
    public const TpmaObject DeviceKeyAttributes = TpmaObject.FixedTpm | TpmaObject.FixedParent | TpmaObject.SensitiveDataOrigin
        | TpmaObject.UserWithAuth | TpmaObject.Sign;

    /// <summary>The attributes that prove a key was made in the TPM and cannot leave it.</summary>
    public const TpmaObject CustodyAttributes = TpmaObject.FixedTpm | TpmaObject.FixedParent | TpmaObject.SensitiveDataOrigin;

    /// <summary>EK template L-1: RSA 2048, AES-128-CFB, SHA-256, unique = 256 zero octets.</summary>
    public static TpmtPublic EkRsa2048 { get; } = new(TpmAlgId.Sha256, EkAttributes, EkPolicy,
        new TpmsRsaParms(TpmtSymDefObject.Aes128Cfb, TpmtScheme.Null, 2048, 0), new Tpm2bPublicId(new byte[256]));

    /// <summary>EK template L-2: ECC NIST P-256, AES-128-CFB, SHA-256, unique = two 32-octet zero coordinates.</summary>
    public static TpmtPublic EkEccP256 { get; } = new(TpmAlgId.Sha256, EkAttributes, EkPolicy,
        new TpmsEccParms(TpmtSymDefObject.Aes128Cfb, TpmtScheme.Null, TpmEccCurve.NistP256, TpmtScheme.Null), new TpmsEccPoint(new byte[32], new byte[32]));

    /// <summary>The SRK, ECC NIST P-256 (Provisioning Guidance 7.5.1, the ECC variant: fast to derive and it salts sessions with ECDH).</summary>
    public static TpmtPublic SrkEccP256 { get; } = new(TpmAlgId.Sha256, SrkAttributes, ReadOnlyMemory<byte>.Empty,
        new TpmsEccParms(TpmtSymDefObject.Aes128Cfb, TpmtScheme.Null, TpmEccCurve.NistP256, TpmtScheme.Null), new TpmsEccPoint(new byte[32], new byte[32]));

    /// <summary>The SRK, RSA 2048 (Provisioning Guidance 7.5.1).</summary>
    public static TpmtPublic SrkRsa2048 { get; } = new(TpmAlgId.Sha256, SrkAttributes, ReadOnlyMemory<byte>.Empty,
        new TpmsRsaParms(TpmtSymDefObject.Aes128Cfb, TpmtScheme.Null, 2048, 0), new Tpm2bPublicId(new byte[256]));

    /// <summary>
    /// An attestation key for the endorsement hierarchy: a restricted ECDSA P-256 signing key
    /// (fixedTPM|fixedParent|sensitiveDataOrigin|userWithAuth|restricted|sign), which signs only
    /// structures the TPM made (TPMS_ATTEST), never an arbitrary digest.
    /// </summary>
    public static TpmtPublic AttestationKeyEccP256 { get; } = new(TpmAlgId.Sha256,
        CustodyAttributes | TpmaObject.UserWithAuth | TpmaObject.Restricted | TpmaObject.Sign, ReadOnlyMemory<byte>.Empty,
        new TpmsEccParms(TpmtSymDefObject.Null, new TpmtScheme(TpmAlgId.EcDsa, TpmAlgId.Sha256), TpmEccCurve.NistP256, TpmtScheme.Null), TpmsEccPoint.Empty);

    /// <summary>The device identity key, ECC NIST P-256; the scheme is chosen per signature (ECDSA with the digest's hash).</summary>
    public static TpmtPublic DeviceKeyEccP256 { get; } = new(TpmAlgId.Sha256, DeviceKeyAttributes, ReadOnlyMemory<byte>.Empty,
        new TpmsEccParms(TpmtSymDefObject.Null, TpmtScheme.Null, TpmEccCurve.NistP256, TpmtScheme.Null), TpmsEccPoint.Empty);

    /// <summary>The device identity key, RSA 3072; the scheme (RSASSA or RSAPSS) is chosen per signature.</summary>
    public static TpmtPublic DeviceKeyRsa3072 { get; } = new(TpmAlgId.Sha256, DeviceKeyAttributes, ReadOnlyMemory<byte>.Empty,
        new TpmsRsaParms(TpmtSymDefObject.Null, TpmtScheme.Null, 3072, 0), Tpm2bPublicId.Empty);
}
