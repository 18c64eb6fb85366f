using DeviceAgent.Tpm.Constants;
using DeviceAgent.Tpm.Marshalling;

namespace DeviceAgent.Tpm.Structures;

/// <summary>
/// TPMS_ATTEST (TPM 2.0 Part 2 10.12.12), as TPM2_Certify makes it: magic TPM_GENERATED_VALUE,
/// type TPM_ST_ATTEST_CERTIFY, the signer's qualified name, extraData (the verifier's nonce),
/// clock info, firmware version, and TPMS_CERTIFY_INFO (the certified object's Name and
/// qualified Name). <see cref="Raw"/> is what the signature covers.
/// </summary>
public sealed record TpmsAttest(
    TpmSt Type,
    ReadOnlyMemory<byte> QualifiedSigner,
    ReadOnlyMemory<byte> ExtraData,
    ulong Clock,
    ulong FirmwareVersion,
    ReadOnlyMemory<byte> CertifiedName,
    ReadOnlyMemory<byte> CertifiedQualifiedName,
    ReadOnlyMemory<byte> Raw)
{
    /// <summary>TPM_GENERATED_VALUE: "\xffTCG", which the TPM puts only in structures it made (Part 2 6.2).</summary>
    public const uint TpmGeneratedValue = 0xFF544347;

    /// <summary>Parses a TPMS_ATTEST of type TPM_ST_ATTEST_CERTIFY.</summary>
    /// <exception cref="TpmFormatException">Malformed, not TPM-generated, or not a certification.</exception>
    public static TpmsAttest ParseCertify(ReadOnlyMemory<byte> raw)
    {
        var reader = new TpmReader(raw, "TPMS_ATTEST");
        var magic = reader.ReadUInt32("magic");
        if (magic != TpmGeneratedValue)
            throw new TpmFormatException($"TPMS_ATTEST magic is 0x{magic:X8}, not TPM_GENERATED_VALUE (0xFF544347): the TPM did not make this structure");
        var type = (TpmSt)reader.ReadUInt16("type");
        if (type != TpmSt.AttestCertify)
            throw new TpmFormatException($"TPMS_ATTEST type is {type}, not TPM_ST_ATTEST_CERTIFY");
        var signer = reader.ReadTpm2b("qualifiedSigner");
        var extra = reader.ReadTpm2b("extraData");
        var clock = reader.ReadUInt64("clockInfo.clock");
        reader.ReadUInt32("clockInfo.resetCount");
        reader.ReadUInt32("clockInfo.restartCount");
        reader.ReadUInt8("clockInfo.safe");
        var firmware = reader.ReadUInt64("firmwareVersion");
        var name = reader.ReadTpm2b("attested.certify.name");
        var qualified = reader.ReadTpm2b("attested.certify.qualifiedName");
        reader.ExpectEnd();
        return new TpmsAttest(type, signer, extra, clock, firmware, name, qualified, raw);
    }
}
