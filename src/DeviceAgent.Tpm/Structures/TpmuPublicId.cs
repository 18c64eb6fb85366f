using DeviceAgent.Tpm.Marshalling;

namespace DeviceAgent.Tpm.Structures;

/// <summary>
/// TPMU_PUBLIC_ID (TPM 2.0 Part 2 12.2.3.2), the unique field of a TPMT_PUBLIC: the public key
/// (RSA modulus, ECC point) or a digest (keyed hash, symmetric). In a creation template it is
/// usually empty; the TCG EK templates fill it with zeros of the key's size.
/// </summary>
public abstract record TpmuPublicId
{
    /// <summary>Marshals the field.</summary>
    public abstract void Write(TpmWriter writer);
}

/// <summary>TPM2B_PUBLIC_KEY_RSA or TPM2B_DIGEST: one sized buffer.</summary>
public sealed record Tpm2bPublicId(ReadOnlyMemory<byte> Buffer) : TpmuPublicId
{
    /// <summary>An empty buffer.</summary>
    public static Tpm2bPublicId Empty { get; } = new(ReadOnlyMemory<byte>.Empty);

    /// <inheritdoc />
    public override void Write(TpmWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteTpm2b(Buffer.Span);
    }
}

/// <summary>TPMS_ECC_POINT (11.2.5.2): two TPM2B_ECC_PARAMETER coordinates, big-endian.</summary>
public sealed record TpmsEccPoint(ReadOnlyMemory<byte> X, ReadOnlyMemory<byte> Y) : TpmuPublicId
{
    /// <summary>The point (0, 0) with empty coordinates, as a creation template carries it.</summary>
    public static TpmsEccPoint Empty { get; } = new(ReadOnlyMemory<byte>.Empty, ReadOnlyMemory<byte>.Empty);

    /// <inheritdoc />
    public override void Write(TpmWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteTpm2b(X.Span).WriteTpm2b(Y.Span);
    }

    /// <summary>Unmarshals a TPMS_ECC_POINT.</summary>
    public static TpmsEccPoint Read(TpmReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return new TpmsEccPoint(reader.ReadTpm2b("TPMS_ECC_POINT.x"), reader.ReadTpm2b("TPMS_ECC_POINT.y"));
    }
}
