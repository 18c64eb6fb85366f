using DeviceAgent.Tpm.Constants;
using DeviceAgent.Tpm.Marshalling;

namespace DeviceAgent.Tpm.Structures;

/// <summary>
/// A scheme selector and its details: TPMT_RSA_SCHEME (11.2.4.2), TPMT_ECC_SCHEME (11.2.5.6),
/// TPMT_KDF_SCHEME (11.2.3.3), TPMT_KEYEDHASH_SCHEME (11.1.23), TPMT_SIG_SCHEME (11.2.1.5) and
/// TPMT_RSA_DECRYPT (11.2.4.6) all marshal as the selector followed by its TPMU details:
/// nothing for TPM_ALG_NULL and TPM_ALG_RSAES, a hash algorithm for the others, plus a UINT16
/// count for ECDAA and a KDF selector for XOR.
/// </summary>
public sealed record TpmtScheme(TpmAlgId Scheme, TpmAlgId HashAlg = TpmAlgId.Null, ushort Count = 0, TpmAlgId Kdf = TpmAlgId.Null)
{
    /// <summary>TPM_ALG_NULL.</summary>
    public static TpmtScheme Null { get; } = new(TpmAlgId.Null);

    /// <summary>Marshals the structure.</summary>
    public void Write(TpmWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteUInt16((ushort)Scheme);
        if (Scheme is TpmAlgId.Null or TpmAlgId.RsaEs)
            return;
        writer.WriteUInt16((ushort)HashAlg);
        if (Scheme == TpmAlgId.EcDaa)
            writer.WriteUInt16(Count);
        if (Scheme == TpmAlgId.Xor)
            writer.WriteUInt16((ushort)Kdf);
    }

    /// <summary>Unmarshals the structure.</summary>
    /// <exception cref="TpmFormatException">Truncated.</exception>
    public static TpmtScheme Read(TpmReader reader, string what = "TPMT_SCHEME")
    {
        ArgumentNullException.ThrowIfNull(reader);
        var scheme = (TpmAlgId)reader.ReadUInt16(what + ".scheme");
        if (scheme == TpmAlgId.Null)
            return Null;
        if (scheme == TpmAlgId.RsaEs)
            return new TpmtScheme(scheme);
        var hashAlg = (TpmAlgId)reader.ReadUInt16(what + ".details.hashAlg");
        var count = scheme == TpmAlgId.EcDaa ? reader.ReadUInt16(what + ".details.count") : (ushort)0;
        var kdf = scheme == TpmAlgId.Xor ? (TpmAlgId)reader.ReadUInt16(what + ".details.kdf") : TpmAlgId.Null;
        return new TpmtScheme(scheme, hashAlg, count, kdf);
    }
}
