using System.Numerics;
using System.Security.Cryptography;
using DeviceAgent.Keys.OpenSsl;

namespace DeviceAgent.Keys.Tests.OpenSsl;

/// <summary>
/// A unit seam: an RSA backend (software key underneath) that also offers the raw private
/// operation, as a PKCS#11 token with CKM_RSA_X_509 does, and counts both kinds of operation.
/// </summary>
public sealed class RawRsaBackendKey : RSA, IRsaPrivatePrimitive
{
    private readonly RSA _key = RSA.Create(2048);

    public int DigestSignatures { get; private set; }

    public int RawOperations { get; private set; }

    public override int KeySize { get => 2048; set { } }

    public override byte[] SignHash(byte[] hash, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding)
    {
        DigestSignatures++;
        return _key.SignHash(hash, hashAlgorithm, padding);
    }

    public byte[] PrivateOperation(byte[] block)
    {
        RawOperations++;
        var p = _key.ExportParameters(true);
        var result = BigInteger.ModPow(new BigInteger(block, isUnsigned: true, isBigEndian: true),
            new BigInteger(p.D, isUnsigned: true, isBigEndian: true), new BigInteger(p.Modulus, isUnsigned: true, isBigEndian: true));
        return result.ToByteArray(isUnsigned: true, isBigEndian: true);
    }

    public override RSAParameters ExportParameters(bool includePrivateParameters) => _key.ExportParameters(false);

    public override void ImportParameters(RSAParameters parameters) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _key.Dispose();
        base.Dispose(disposing);
    }
}
