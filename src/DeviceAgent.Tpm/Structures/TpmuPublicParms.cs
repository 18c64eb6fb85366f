using DeviceAgent.Tpm.Constants;
using DeviceAgent.Tpm.Marshalling;

namespace DeviceAgent.Tpm.Structures;

/// <summary>TPMU_PUBLIC_PARMS (TPM 2.0 Part 2 12.2.3.7): the algorithm-specific parameters of a TPMT_PUBLIC, selected by its type.</summary>
public abstract record TpmuPublicParms
{
    /// <summary>The TPMI_ALG_PUBLIC this arm belongs to.</summary>
    public abstract TpmAlgId Type { get; }

    /// <summary>Marshals the parameters (without the selector).</summary>
    public abstract void Write(TpmWriter writer);

    /// <summary>Unmarshals the arm that <paramref name="type"/> selects.</summary>
    /// <exception cref="TpmFormatException">Truncated, or a type this stack does not know.</exception>
    public static TpmuPublicParms Read(TpmReader reader, TpmAlgId type) => type switch
    {
        TpmAlgId.Rsa => TpmsRsaParms.ReadBody(reader),
        TpmAlgId.Ecc => TpmsEccParms.ReadBody(reader),
        TpmAlgId.KeyedHash => new TpmsKeyedHashParms(TpmtScheme.Read(reader, "TPMS_KEYEDHASH_PARMS.scheme")),
        TpmAlgId.SymCipher => new TpmsSymCipherParms(TpmtSymDefObject.Read(reader)),
        _ => throw new TpmFormatException($"TPMT_PUBLIC.type {type} (0x{(ushort)type:X4}) is not an object type (RSA, ECC, KEYEDHASH, SYMCIPHER)"),
    };
}

/// <summary>TPMS_RSA_PARMS (12.2.3.5). An exponent of 0 means the default, 65537.</summary>
public sealed record TpmsRsaParms(TpmtSymDefObject Symmetric, TpmtScheme Scheme, ushort KeyBits, uint Exponent = 0) : TpmuPublicParms
{
    /// <inheritdoc />
    public override TpmAlgId Type => TpmAlgId.Rsa;

    /// <inheritdoc />
    public override void Write(TpmWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Symmetric.Write(writer);
        Scheme.Write(writer);
        writer.WriteUInt16(KeyBits).WriteUInt32(Exponent);
    }

    internal static TpmsRsaParms ReadBody(TpmReader reader) => new(
        TpmtSymDefObject.Read(reader),
        TpmtScheme.Read(reader, "TPMS_RSA_PARMS.scheme"),
        reader.ReadUInt16("TPMS_RSA_PARMS.keyBits"),
        reader.ReadUInt32("TPMS_RSA_PARMS.exponent"));
}

/// <summary>TPMS_ECC_PARMS (12.2.3.6).</summary>
public sealed record TpmsEccParms(TpmtSymDefObject Symmetric, TpmtScheme Scheme, TpmEccCurve CurveId, TpmtScheme Kdf) : TpmuPublicParms
{
    /// <inheritdoc />
    public override TpmAlgId Type => TpmAlgId.Ecc;

    /// <inheritdoc />
    public override void Write(TpmWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Symmetric.Write(writer);
        Scheme.Write(writer);
        writer.WriteUInt16((ushort)CurveId);
        Kdf.Write(writer);
    }

    internal static TpmsEccParms ReadBody(TpmReader reader) => new(
        TpmtSymDefObject.Read(reader),
        TpmtScheme.Read(reader, "TPMS_ECC_PARMS.scheme"),
        (TpmEccCurve)reader.ReadUInt16("TPMS_ECC_PARMS.curveID"),
        TpmtScheme.Read(reader, "TPMS_ECC_PARMS.kdf"));
}

/// <summary>TPMS_KEYEDHASH_PARMS (12.2.3.3): an HMAC key, an XOR key or a sealed data object (NULL scheme).</summary>
public sealed record TpmsKeyedHashParms(TpmtScheme Scheme) : TpmuPublicParms
{
    /// <inheritdoc />
    public override TpmAlgId Type => TpmAlgId.KeyedHash;

    /// <inheritdoc />
    public override void Write(TpmWriter writer) => Scheme.Write(writer);
}

/// <summary>TPMS_SYMCIPHER_PARMS (12.2.3.4).</summary>
public sealed record TpmsSymCipherParms(TpmtSymDefObject Symmetric) : TpmuPublicParms
{
    /// <inheritdoc />
    public override TpmAlgId Type => TpmAlgId.SymCipher;

    /// <inheritdoc />
    public override void Write(TpmWriter writer) => Symmetric.Write(writer);
}
