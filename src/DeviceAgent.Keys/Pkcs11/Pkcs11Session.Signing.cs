using System.Security.Cryptography;
using DeviceAgent.Keys.Pkcs11.Native;

namespace DeviceAgent.Keys.Pkcs11;

// Signatures computed by the token (C_SignInit + C_Sign). Hashing always stays in software:
// the token only ever sees a digest.
public sealed unsafe partial class Pkcs11Session
{
    // DigestInfo prefixes for EMSA-PKCS1-v1_5 (RFC 8017 section 9.2, note 1).
    private static readonly byte[] s_sha256DigestInfo = Convert.FromHexString("3031300d060960864801650304020105000420");
    private static readonly byte[] s_sha384DigestInfo = Convert.FromHexString("3041300d060960864801650304020205000430");
    private static readonly byte[] s_sha512DigestInfo = Convert.FromHexString("3051300d060960864801650304020305000440");

    /// <summary>
    /// Signs a hash with a private key on the token: CKM_ECDSA (result IEEE P1363 r||s) for EC
    /// keys; CKM_RSA_PKCS over a DigestInfo, or CKM_RSA_PKCS_PSS, for RSA keys.
    /// </summary>
    /// <exception cref="Pkcs11Exception">The token refused, e.g. CKR_USER_NOT_LOGGED_IN.</exception>
    public byte[] SignHash(Pkcs11ObjectHandle privateKey, KeyAlgorithm algorithm, ReadOnlySpan<byte> hash, RSASignaturePadding? padding = null)
    {
        if (algorithm.IsEllipticCurve())
        {
            var mechanism = new CK_MECHANISM { mechanism = CKM.CKM_ECDSA };
            return Sign(privateKey, &mechanism, hash, SignatureLength(algorithm));
        }

        if (padding is null || padding == RSASignaturePadding.Pkcs1)
        {
            var prefix = hash.Length switch
            {
                32 => s_sha256DigestInfo,
                48 => s_sha384DigestInfo,
                64 => s_sha512DigestInfo,
                _ => throw new ArgumentException($"a {hash.Length}-byte hash is not SHA-256, SHA-384 or SHA-512", nameof(hash)),
            };
            var digestInfo = new byte[prefix.Length + hash.Length];
            prefix.CopyTo(digestInfo, 0);
            hash.CopyTo(digestInfo.AsSpan(prefix.Length));
            var mechanism = new CK_MECHANISM { mechanism = CKM.CKM_RSA_PKCS };
            return Sign(privateKey, &mechanism, digestInfo, SignatureLength(algorithm));
        }

        var (hashMechanism, mgf) = hash.Length switch
        {
            32 => (CKM.CKM_SHA256, CKM.CKG_MGF1_SHA256),
            48 => (CKM.CKM_SHA384, CKM.CKG_MGF1_SHA384),
            64 => (CKM.CKM_SHA512, CKM.CKG_MGF1_SHA512),
            _ => throw new ArgumentException($"a {hash.Length}-byte hash is not SHA-256, SHA-384 or SHA-512", nameof(hash)),
        };
        var pss = new CK_RSA_PKCS_PSS_PARAMS { hashAlg = hashMechanism, mgf = mgf, sLen = (nuint)hash.Length };
        var pssMechanism = new CK_MECHANISM { mechanism = CKM.CKM_RSA_PKCS_PSS, pParameter = &pss, ulParameterLen = (nuint)sizeof(CK_RSA_PKCS_PSS_PARAMS) };
        return Sign(privateKey, &pssMechanism, hash, SignatureLength(algorithm));
    }

    /// <summary>
    /// The raw RSA private operation (CKM_RSA_X_509, PKCS#11 v2.40 section 2.1.8) on a block
    /// that is already padded (OpenSSL's RSA-PSS encoding, for the TLS 1.3 CertificateVerify).
    /// </summary>
    /// <exception cref="Pkcs11Exception">The token refused, e.g. CKR_MECHANISM_INVALID where it does not offer the mechanism.</exception>
    public byte[] SignRaw(Pkcs11ObjectHandle privateKey, KeyAlgorithm algorithm, ReadOnlySpan<byte> block)
    {
        var mechanism = new CK_MECHANISM { mechanism = CKM.CKM_RSA_X_509 };
        return Sign(privateKey, &mechanism, block, SignatureLength(algorithm));
    }

    // EC: r||s, two field elements; RSA: the modulus.
    private static int SignatureLength(KeyAlgorithm algorithm) => algorithm switch
    {
        KeyAlgorithm.EcP256 => 64,
        KeyAlgorithm.EcP384 => 96,
        _ => algorithm.KeySize() / 8,
    };

    // One C_SignInit and, with a buffer of the known signature length, one C_Sign (PKCS#11 v2.40
    // section 5.2); a token that still answers CKR_BUFFER_TOO_SMALL gets the two-call convention.
    private byte[] Sign(Pkcs11ObjectHandle key, CK_MECHANISM* mechanism, ReadOnlySpan<byte> data, int expectedLength)
    {
        Pkcs11Module.Check(F->C_SignInit(Handle, mechanism, (nuint)key.Value), "C_SignInit");
        fixed (byte* input = data)
        {
            var signature = new byte[expectedLength];
            var length = (nuint)signature.Length;
            nuint rv;
            fixed (byte* output = signature)
                rv = F->C_Sign(Handle, input, (nuint)data.Length, output, &length);
            if (rv == CKR.CKR_BUFFER_TOO_SMALL)
            {
                signature = new byte[length];
                fixed (byte* output = signature)
                    rv = F->C_Sign(Handle, input, (nuint)data.Length, output, &length);
            }
            Pkcs11Module.Check(rv, "C_Sign");
            return length == (nuint)signature.Length ? signature : signature[..(int)length];
        }
    }
}
