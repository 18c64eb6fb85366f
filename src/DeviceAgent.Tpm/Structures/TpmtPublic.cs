using DeviceAgent.Tpm.Constants;
using DeviceAgent.Tpm.Marshalling;

namespace DeviceAgent.Tpm.Structures;

/// <summary>
/// TPMT_PUBLIC (TPM 2.0 Part 2 12.2.4): type || nameAlg || objectAttributes || authPolicy ||
/// parameters || unique. The type is the selector of <see cref="Parameters"/>. Immutable.
/// </summary>
public sealed partial record TpmtPublic(
    TpmAlgId NameAlg,
    TpmaObject ObjectAttributes,
    ReadOnlyMemory<byte> AuthPolicy,
    TpmuPublicParms Parameters,
    TpmuPublicId Unique)
{
    /// <summary>TPMI_ALG_PUBLIC: the object's type.</summary>
    public TpmAlgId Type => Parameters.Type;

    /// <summary>Marshals the structure.</summary>
    public void Write(TpmWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteUInt16((ushort)Type).WriteUInt16((ushort)NameAlg).WriteUInt32((uint)ObjectAttributes).WriteTpm2b(AuthPolicy.Span);
        Parameters.Write(writer);
        Unique.Write(writer);
    }

    /// <summary>The marshalled TPMT_PUBLIC.</summary>
    public byte[] ToBytes()
    {
        var writer = new TpmWriter();
        Write(writer);
        return writer.ToArray();
    }

    /// <summary>Marshals the structure as a TPM2B_PUBLIC (12.2.5): UINT16 size || TPMT_PUBLIC.</summary>
    public void WriteSized(TpmWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteSized(Write);
    }

    /// <summary>Unmarshals a TPMT_PUBLIC.</summary>
    /// <exception cref="TpmFormatException">Truncated, or a selector this stack does not know.</exception>
    public static TpmtPublic Read(TpmReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var type = (TpmAlgId)reader.ReadUInt16("TPMT_PUBLIC.type");
        if (type is not (TpmAlgId.Rsa or TpmAlgId.Ecc or TpmAlgId.KeyedHash or TpmAlgId.SymCipher))
            throw new TpmFormatException($"TPMT_PUBLIC.type {type} (0x{(ushort)type:X4}) is not an object type (RSA, ECC, KEYEDHASH, SYMCIPHER)");
        var nameAlg = (TpmAlgId)reader.ReadUInt16("TPMT_PUBLIC.nameAlg");
        var attributes = (TpmaObject)reader.ReadUInt32("TPMT_PUBLIC.objectAttributes");
        var authPolicy = reader.ReadTpm2b("TPMT_PUBLIC.authPolicy");
        var parameters = TpmuPublicParms.Read(reader, type);
        TpmuPublicId unique = type == TpmAlgId.Ecc ? TpmsEccPoint.Read(reader) : new Tpm2bPublicId(reader.ReadTpm2b("TPMT_PUBLIC.unique"));
        return new TpmtPublic(nameAlg, attributes, authPolicy, parameters, unique);
    }

    /// <summary>Unmarshals a TPM2B_PUBLIC; its size must match the TPMT_PUBLIC exactly.</summary>
    /// <exception cref="TpmFormatException">Truncated, trailing bytes, or an unknown selector.</exception>
    public static TpmtPublic ReadSized(TpmReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var inner = reader.ReadSized("TPM2B_PUBLIC");
        var value = Read(inner);
        inner.ExpectEnd();
        return value;
    }

    /// <summary>Parses a marshalled TPMT_PUBLIC that fills <paramref name="bytes"/> exactly.</summary>
    /// <exception cref="TpmFormatException">Malformed.</exception>
    public static TpmtPublic Parse(ReadOnlyMemory<byte> bytes)
    {
        var reader = new TpmReader(bytes, "TPMT_PUBLIC");
        var value = Read(reader);
        reader.ExpectEnd();
        return value;
    }

    /// <summary>
    /// The object's Name (Part 1 16, "Names"): nameAlg (UINT16) || H_nameAlg(TPMT_PUBLIC). This is
    /// what the TPM binds authorizations, credentials and certifications to.
    /// </summary>
    /// <exception cref="TpmFormatException">nameAlg is not a supported hash.</exception>
    public byte[] Name() => ObjectName.Compute(NameAlg, ToBytes());

    /// <inheritdoc />
    public bool Equals(TpmtPublic? other) => other is not null && ToBytes().AsSpan().SequenceEqual(other.ToBytes());

    /// <inheritdoc />
    public override int GetHashCode() => HashCodeOf(ToBytes());

    private static int HashCodeOf(byte[] bytes)
    {
        var hash = new HashCode();
        hash.AddBytes(bytes);
        return hash.ToHashCode();
    }
}
