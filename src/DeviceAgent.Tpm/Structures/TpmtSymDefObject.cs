using DeviceAgent.Tpm.Constants;
using DeviceAgent.Tpm.Marshalling;

namespace DeviceAgent.Tpm.Structures;

/// <summary>
/// TPMT_SYM_DEF_OBJECT (TPM 2.0 Part 2 11.1.7): a storage key's symmetric algorithm, or
/// TPM_ALG_NULL (then keyBits and mode are absent on the wire). Also the marshalling of
/// TPMT_SYM_DEF (11.1.6) for sessions, where TPM_ALG_XOR carries a hash algorithm and no mode.
/// </summary>
public sealed record TpmtSymDefObject(TpmAlgId Algorithm, ushort KeyBits, TpmAlgId Mode)
{
    /// <summary>TPM_ALG_NULL.</summary>
    public static TpmtSymDefObject Null { get; } = new(TpmAlgId.Null, 0, TpmAlgId.Null);

    /// <summary>AES-128 in CFB mode, the symmetric algorithm of the TCG templates and of parameter encryption.</summary>
    public static TpmtSymDefObject Aes128Cfb { get; } = new(TpmAlgId.Aes, 128, TpmAlgId.Cfb);

    /// <summary>Marshals the structure.</summary>
    public void Write(TpmWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteUInt16((ushort)Algorithm);
        if (Algorithm == TpmAlgId.Null)
            return;
        writer.WriteUInt16(KeyBits);
        if (Algorithm != TpmAlgId.Xor)
            writer.WriteUInt16((ushort)Mode);
    }

    /// <summary>Unmarshals the structure.</summary>
    /// <exception cref="TpmFormatException">Truncated.</exception>
    public static TpmtSymDefObject Read(TpmReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var algorithm = (TpmAlgId)reader.ReadUInt16("TPMT_SYM_DEF_OBJECT.algorithm");
        if (algorithm == TpmAlgId.Null)
            return Null;
        var keyBits = reader.ReadUInt16("TPMT_SYM_DEF_OBJECT.keyBits");
        var mode = algorithm == TpmAlgId.Xor ? TpmAlgId.Null : (TpmAlgId)reader.ReadUInt16("TPMT_SYM_DEF_OBJECT.mode");
        return new TpmtSymDefObject(algorithm, keyBits, mode);
    }
}
