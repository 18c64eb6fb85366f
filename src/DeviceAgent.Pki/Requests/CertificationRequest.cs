using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Profiles;

namespace DeviceAgent.Pki.Requests;

/// <summary>
/// A PKCS#10 certification request (RFC 2986) that has been checked: its self-signature verifies
/// with the public key it carries (RFC 2986 3: proof that the requester holds the private key),
/// and that key is strong enough (<see cref="KeyStrengthPolicy"/>). Requested extensions are
/// ignored: the CA applies its own profile. Immutable.
/// </summary>
public sealed class CertificationRequest
{
    private const string PemLabel = "CERTIFICATE REQUEST";
    private const string LegacyPemLabel = "NEW CERTIFICATE REQUEST";

    private readonly byte[] _der;

    private CertificationRequest(byte[] der, X500DistinguishedName subject, PublicKey publicKey, KeyStrength key, string sourceName)
    {
        _der = der;
        Subject = subject;
        PublicKey = publicKey;
        Key = key;
        SourceName = sourceName;
        CommonName = DistinguishedNames.CommonName(subject);
    }

    /// <summary>Where the request came from (a path, or a name given by the caller).</summary>
    public string SourceName { get; }

    /// <summary>The requested subject.</summary>
    public X500DistinguishedName Subject { get; }

    /// <summary>The subject's common name (the registration id of a device request); null when there is none.</summary>
    public string? CommonName { get; }

    /// <summary>The key to certify.</summary>
    public PublicKey PublicKey { get; }

    /// <summary>The key's type and the policy's verdict (always acceptable on a parsed request).</summary>
    public KeyStrength Key { get; }

    /// <summary>The request's DER encoding.</summary>
    public ReadOnlyMemory<byte> Der => _der;

    /// <summary>The registration id the request asks for: its subject CN, which must satisfy the DPS rules (<see cref="Registration.RegistrationId"/>).</summary>
    /// <exception cref="CertificationRequestException"><see cref="CertificationRequestProblem.BadSubject"/>: no CN, or one DPS would refuse.</exception>
    public Registration.RegistrationId RegistrationId()
    {
        if (CommonName is null)
        {
            throw new CertificationRequestException(CertificationRequestProblem.BadSubject, SourceName,
                $"its subject (\"{Subject.Name}\") has no CN; a device's CN is its registration id");
        }
        return Registration.RegistrationId.TryParse(CommonName, out var id, out var problem)
            ? id!
            : throw new CertificationRequestException(CertificationRequestProblem.BadSubject, SourceName,
                $"its subject CN '{CommonName}' is not a registration id DPS accepts: {problem}");
    }

    /// <summary>The request as PEM (<c>-----BEGIN CERTIFICATE REQUEST-----</c>, RFC 7468 7).</summary>
    public string ToPem() => PemEncoding.WriteString(PemLabel, _der) + "\n";

    /// <summary>Reads and checks a request file, PEM or DER.</summary>
    /// <exception cref="CertificationRequestException">The file is unreadable or the request is refused.</exception>
    public static CertificationRequest Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var reason = e is FileNotFoundException or DirectoryNotFoundException ? "the file does not exist" : $"the file cannot be read ({e.Message})";
            throw new CertificationRequestException(CertificationRequestProblem.Unreadable, path, reason, e);
        }
        return Parse(bytes, path);
    }

    /// <summary>Checks a request given as PEM text or DER bytes.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="sourceName"/> is null.</exception>
    /// <exception cref="CertificationRequestException">The request is malformed, its signature does not verify, or its key is refused.</exception>
    public static CertificationRequest Parse(ReadOnlySpan<byte> pemOrDer, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(sourceName);
        var der = pemOrDer.Length > 0 && pemOrDer[0] == 0x30 ? pemOrDer.ToArray() : FromPem(Encoding.UTF8.GetString(pemOrDer), sourceName);
        return Check(der, sourceName);
    }

    /// <summary>Builds a request for <paramref name="subject"/>, signed by <paramref name="key"/> wherever it lives
    /// (one C_Sign for a token key), and checks it as a CA would.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="NotSupportedException">The key is neither EC nor RSA.</exception>
    /// <exception cref="CertificationRequestException">The key is refused by the policy, or the signature it made does not verify.</exception>
    /// <exception cref="DeviceAgent.Keys.KeyCustodyException">The token refused to sign.</exception>
    public static CertificationRequest Create(AsymmetricAlgorithm key, X500DistinguishedName subject)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(subject);
        var request = key switch
        {
            ECDsa ec => new CertificateRequest(subject, ec, Signing.HashFor(key)),
            RSA rsa => new CertificateRequest(subject, rsa, Signing.HashFor(key), RSASignaturePadding.Pkcs1),
            _ => throw new NotSupportedException($"{key.GetType().Name} keys cannot sign a certification request"),
        };
        return Check(request.CreateSigningRequest(), $"request for {subject.Name}");
    }

    private static byte[] FromPem(string text, string sourceName)
    {
        if (!PemEncoding.TryFind(text, out var fields))
        {
            throw new CertificationRequestException(CertificationRequestProblem.Malformed, sourceName,
                "it is neither PEM (-----BEGIN CERTIFICATE REQUEST-----) nor DER");
        }
        var label = text[fields.Label];
        if (label is not (PemLabel or LegacyPemLabel))
        {
            throw new CertificationRequestException(CertificationRequestProblem.Malformed, sourceName,
                $"it holds a PEM '{label}' block, not a CERTIFICATE REQUEST (RFC 7468 7)");
        }
        var der = new byte[fields.DecodedDataLength];
        if (!Convert.TryFromBase64Chars(text.AsSpan()[fields.Base64Data], der, out var written))
            throw new CertificationRequestException(CertificationRequestProblem.Malformed, sourceName, "its PEM body is not valid base64");
        return der.AsSpan(0, written).ToArray();
    }

    private static CertificationRequest Check(byte[] der, string sourceName)
    {
        CertificateRequest parsed;
        try
        {
            parsed = CertificateRequest.LoadSigningRequest(der, HashAlgorithmName.SHA256, out var consumed,
                CertificateRequestLoadOptions.SkipSignatureValidation);
            if (consumed != der.Length)
            {
                throw new CertificationRequestException(CertificationRequestProblem.Malformed, sourceName,
                    FormattableString.Invariant($"{der.Length - consumed} bytes follow the request's DER"));
            }
        }
        catch (CryptographicException e)
        {
            throw new CertificationRequestException(CertificationRequestProblem.Malformed, sourceName,
                $"it is not a PKCS#10 certification request (RFC 2986 4: {e.Message})", e);
        }

        var signature = CertificateSignature.VerifySigned(der, parsed.PublicKey);
        if (!signature.IsValid)
        {
            throw new CertificationRequestException(CertificationRequestProblem.BadSignature, sourceName,
                $"its self-signature does not verify with the public key it carries: {signature.Problem}; the request was altered, " +
                "or signed by another key than the one to certify (RFC 2986 3: the signature proves possession of the private key)");
        }

        // The DevicePolicy's signature rule: a SHA-1 or MD5 self-signature proves possession too weakly.
        if (Chains.Policy.SignatureAlgorithmPolicy.Judge(SignedCertificate.Read(der)).Weakness is { } weakSignature)
            throw new CertificationRequestException(CertificationRequestProblem.BadSignature, sourceName, $"its self-signature is refused: {weakSignature}");

        var strength = KeyStrengthPolicy.Judge(parsed.PublicKey);
        if (strength.Weakness is { } weakness)
            throw new CertificationRequestException(CertificationRequestProblem.WeakKey, sourceName, $"its key ({strength.Description}) is refused: {weakness}");

        return new CertificationRequest(der, parsed.SubjectName, parsed.PublicKey, strength, sourceName);
    }
}
