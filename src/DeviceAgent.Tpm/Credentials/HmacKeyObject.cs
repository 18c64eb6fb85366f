using DeviceAgent.Tpm.Constants;
using System.Security.Cryptography;
using DeviceAgent.Tpm.Crypto;
using DeviceAgent.Tpm.Structures;

namespace DeviceAgent.Tpm.Credentials;

/// <summary>
/// The HMAC key DPS gives a TPM device, as a TPM object made outside the TPM: KEYEDHASH,
/// nameAlg SHA-256, scheme HMAC-SHA256, sign | userWithAuth | noDA (the attributes of TSS.MSR's
/// DRS sample; no fixedTPM/fixedParent, which TPM2_Import refuses), empty auth value and policy.
/// Its unique field binds the public to the sensitive part: unique = H_nameAlg(seedValue || key)
/// (TPM 2.0 Part 1 27.7.3.2), which TPM2_Import checks.
/// </summary>
internal static class HmacKeyObject
{
    public const TpmaObject Attributes = TpmaObject.Sign | TpmaObject.UserWithAuth | TpmaObject.NoDa;

    public static (TpmtPublic Public, TpmtSensitive Sensitive) Create(ReadOnlySpan<byte> key)
    {
        var seedValue = RandomNumberGenerator.GetBytes(TpmHash.DigestSize(TpmAlgId.Sha256));
        var unique = TpmHash.Hash(TpmAlgId.Sha256, [.. seedValue, .. key]);
        var objectPublic = new TpmtPublic(TpmAlgId.Sha256, Attributes, ReadOnlyMemory<byte>.Empty,
            new TpmsKeyedHashParms(new TpmtScheme(TpmAlgId.Hmac, TpmAlgId.Sha256)), new Tpm2bPublicId(unique));
        return (objectPublic, new TpmtSensitive(TpmAlgId.KeyedHash, ReadOnlyMemory<byte>.Empty, seedValue, key.ToArray()));
    }
}
