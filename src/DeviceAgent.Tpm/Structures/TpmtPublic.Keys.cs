using System.Security.Cryptography;
using DeviceAgent.Tpm.Constants;

namespace DeviceAgent.Tpm.Structures;

/// <summary>The public key of a TPMT_PUBLIC as .NET key parameters.</summary>
public sealed partial record TpmtPublic
{
    /// <summary>The ECC public key.</summary>
    /// <exception cref="TpmFormatException">Not an ECC key on a supported curve, or no point.</exception>
    public ECParameters ToEcParameters()
    {
        if (Parameters is not TpmsEccParms ecc || Unique is not TpmsEccPoint point)
            throw new TpmFormatException($"the TPM object is a {Type} object, not an ECC key");
        var curve = ecc.CurveId switch
        {
            TpmEccCurve.NistP256 => ECCurve.NamedCurves.nistP256,
            TpmEccCurve.NistP384 => ECCurve.NamedCurves.nistP384,
            TpmEccCurve.NistP521 => ECCurve.NamedCurves.nistP521,
            _ => throw new TpmFormatException($"ECC curve 0x{(ushort)ecc.CurveId:X4} is not supported (NIST P-256/384/521 are)"),
        };
        if (point.X.IsEmpty || point.Y.IsEmpty)
            throw new TpmFormatException("the TPM ECC object carries no public point (a template, not a created key)");
        var size = CoordinateSize(ecc.CurveId);
        return new ECParameters { Curve = curve, Q = new ECPoint { X = LeftPad(point.X.Span, size), Y = LeftPad(point.Y.Span, size) } };
    }

    /// <summary>The RSA public key.</summary>
    /// <exception cref="TpmFormatException">Not an RSA key, or no modulus.</exception>
    public RSAParameters ToRsaParameters()
    {
        if (Parameters is not TpmsRsaParms rsa || Unique is not Tpm2bPublicId modulus || modulus.Buffer.IsEmpty)
            throw new TpmFormatException($"the TPM object is a {Type} object, not an RSA key with a modulus");
        var exponent = rsa.Exponent == 0 ? 65537u : rsa.Exponent;
        var e = new[] { (byte)(exponent >> 24), (byte)(exponent >> 16), (byte)(exponent >> 8), (byte)exponent };
        var first = Array.FindIndex(e, b => b != 0);
        return new RSAParameters { Modulus = modulus.Buffer.ToArray(), Exponent = e[first..] };
    }

    /// <summary>The public key as DER SubjectPublicKeyInfo (RFC 5280 4.1.2.7), to compare with a CSR or certificate.</summary>
    /// <exception cref="TpmFormatException">Not an RSA or ECC key.</exception>
    public byte[] ExportSubjectPublicKeyInfo()
    {
        if (Type == TpmAlgId.Ecc)
        {
            using var ec = ECDsa.Create(ToEcParameters());
            return ec.ExportSubjectPublicKeyInfo();
        }
        using var rsa = RSA.Create(ToRsaParameters());
        return rsa.ExportSubjectPublicKeyInfo();
    }

    internal static int CoordinateSize(TpmEccCurve curve) => curve switch
    {
        TpmEccCurve.NistP256 => 32,
        TpmEccCurve.NistP384 => 48,
        TpmEccCurve.NistP521 => 66,
        _ => throw new TpmFormatException($"ECC curve 0x{(ushort)curve:X4} is not supported"),
    };

    private static byte[] LeftPad(ReadOnlySpan<byte> value, int size)
    {
        if (value.Length > size)
            throw new TpmFormatException($"ECC coordinate of {value.Length} bytes is longer than the curve's {size}");
        var padded = new byte[size];
        value.CopyTo(padded.AsSpan(size - value.Length));
        return padded;
    }
}
