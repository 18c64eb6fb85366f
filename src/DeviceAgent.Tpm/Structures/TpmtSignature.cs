using DeviceAgent.Tpm.Constants;
using DeviceAgent.Tpm.Marshalling;

namespace DeviceAgent.Tpm.Structures;

/// <summary>
/// TPMT_SIGNATURE (TPM 2.0 Part 2 11.3.4): sigAlg || TPMU_SIGNATURE. RSASSA/RSAPSS carry hash ||
/// TPM2B_PUBLIC_KEY_RSA (<see cref="RsaSignature"/>); ECDSA/ECSCHNORR/SM2 carry hash || r || s.
/// </summary>
public sealed record TpmtSignature(TpmAlgId SigAlg, TpmAlgId Hash, ReadOnlyMemory<byte> RsaSignature, ReadOnlyMemory<byte> R, ReadOnlyMemory<byte> S)
{
    /// <summary>An ECDSA signature.</summary>
    public static TpmtSignature Ecdsa(TpmAlgId hash, ReadOnlyMemory<byte> r, ReadOnlyMemory<byte> s) => new(TpmAlgId.EcDsa, hash, default, r, s);

    /// <summary>An RSA signature.</summary>
    public static TpmtSignature Rsa(TpmAlgId scheme, TpmAlgId hash, ReadOnlyMemory<byte> signature) => new(scheme, hash, signature, default, default);

    /// <summary>Whether this is an RSA signature.</summary>
    public bool IsRsa => SigAlg is TpmAlgId.RsaSsa or TpmAlgId.RsaPss;

    /// <summary>r || s, each left-padded to <paramref name="coordinateSize"/> (IEEE P1363, what .NET's ECDsa returns).</summary>
    public byte[] ToP1363(int coordinateSize)
    {
        var result = new byte[coordinateSize * 2];
        if (R.Length > coordinateSize || S.Length > coordinateSize)
            throw new TpmFormatException($"ECDSA signature component longer than {coordinateSize} bytes");
        R.Span.CopyTo(result.AsSpan(coordinateSize - R.Length));
        S.Span.CopyTo(result.AsSpan(2 * coordinateSize - S.Length));
        return result;
    }

    /// <summary>Marshals the structure.</summary>
    public void Write(TpmWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteUInt16((ushort)SigAlg);
        if (SigAlg == TpmAlgId.Null)
            return;
        writer.WriteUInt16((ushort)Hash);
        if (IsRsa)
            writer.WriteTpm2b(RsaSignature.Span);
        else
            writer.WriteTpm2b(R.Span).WriteTpm2b(S.Span);
    }

    /// <summary>Unmarshals the structure.</summary>
    /// <exception cref="TpmFormatException">Truncated or an unknown signature algorithm.</exception>
    public static TpmtSignature Read(TpmReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var sigAlg = (TpmAlgId)reader.ReadUInt16("TPMT_SIGNATURE.sigAlg");
        switch (sigAlg)
        {
            case TpmAlgId.Null:
                return new TpmtSignature(sigAlg, TpmAlgId.Null, default, default, default);
            case TpmAlgId.RsaSsa or TpmAlgId.RsaPss:
                return Rsa(sigAlg, (TpmAlgId)reader.ReadUInt16("TPMS_SIGNATURE_RSA.hash"), reader.ReadTpm2b("TPMS_SIGNATURE_RSA.sig"));
            case TpmAlgId.EcDsa or TpmAlgId.EcSchnorr:
                var hash = (TpmAlgId)reader.ReadUInt16("TPMS_SIGNATURE_ECC.hash");
                return new TpmtSignature(sigAlg, hash, default, reader.ReadTpm2b("TPMS_SIGNATURE_ECC.signatureR"), reader.ReadTpm2b("TPMS_SIGNATURE_ECC.signatureS"));
            default:
                throw new TpmFormatException($"TPMT_SIGNATURE.sigAlg {sigAlg} (0x{(ushort)sigAlg:X4}) is not supported");
        }
    }
}
