using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using DeviceAgent.Keys;
using DeviceAgent.Pki.Requests;
using DeviceAgent.Pki.Tests.Support;

namespace DeviceAgent.Pki.Tests.Requests;

public sealed class CertificationRequestTests
{
    [Theory]
    [InlineData(KeyAlgorithm.EcP256, "EC P-256")]
    [InlineData(KeyAlgorithm.EcP384, "EC P-384")]
    [InlineData(KeyAlgorithm.Rsa2048, "RSA 2048")]
    [InlineData(KeyAlgorithm.Rsa3072, "RSA 3072")]
    public void A_request_signed_by_its_own_key_is_accepted(KeyAlgorithm algorithm, string description)
    {
        var request = TestStore.Request("device-01", algorithm);

        var parsed = CertificationRequest.Parse(Encoding.ASCII.GetBytes(request.ToPem()), "device-01.csr");

        Assert.Equal("device-01", parsed.CommonName);
        Assert.Equal(description, parsed.Key.Description);
        Assert.Equal("device-01", parsed.RegistrationId().Value);
        Assert.True(parsed.Der.Span.SequenceEqual(CertificationRequest.Parse(parsed.Der.Span, "der").Der.Span));
    }

    // Found by tests/DeviceAgent.Fuzz (pkcs10): an EC key on a curve OpenSSL does not know (OID
    // 1.2.92.72.10045.3.1.7, one byte off P-256's) made PlatformNotSupportedException escape.
    [Fact]
    public void A_request_with_a_key_on_an_unknown_curve_is_refused_not_thrown_through()
    {
        var der = Convert.FromBase64String(
            "MIHPMHgCAQAwFjEUMBIGA1UEAwwLZnV6ei1kZXZpY2UwWTATBgcqhkjOPQIBBggqXEjOPQMBBwNCAAQJCR0roDtZnDjfdpw8/z0DTnO3LUg17OSGAq0hcm7mfYdvZaYSpcYToMlgBHdf3cfF42U16mzG8jeb7eNv5yY1oAAwCgYIKoZIzj0EAwIDRwAwRAIgQiDwjZ0Y3O7jDPhfkFXvA26NgQWetkqHqE/dPbN2nUwCIHuvFILOkcAxbWJT8pc8iCcgQY6BHzIqj3hk5O7jq/TT");

        var e = Assert.ThrowsAny<CertificationRequestException>(() => CertificationRequest.Parse(der, "fuzz.csr"));

        Assert.Contains("cannot be read", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_request_whose_signed_part_was_altered_is_refused_as_a_bad_signature()
    {
        var der = TestStore.Request("device-01").Der.ToArray();
        var at = der.AsSpan().IndexOf("device-01"u8);
        der[at + 8] = (byte)'2'; // the subject now says device-02; the signature was over device-01

        var e = Assert.Throws<CertificationRequestException>(() => CertificationRequest.Parse(der, "altered.csr"));

        Assert.Equal(CertificationRequestProblem.BadSignature, e.Problem);
        Assert.Contains("certification request 'altered.csr': its self-signature does not verify", e.Message, StringComparison.Ordinal);
        Assert.Contains("RFC 2986", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_request_signed_by_another_key_than_the_one_it_carries_is_refused()
    {
        using var carried = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var signer = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName("CN=device-01"),
            PublicKey.CreateFromSubjectPublicKeyInfo(carried.ExportSubjectPublicKeyInfo(), out _), HashAlgorithmName.SHA256);
        var der = request.CreateSigningRequest(X509SignatureGenerator.CreateForECDsa(signer));

        var e = Assert.Throws<CertificationRequestException>(() => CertificationRequest.Parse(der, "impostor.csr"));

        Assert.Equal(CertificationRequestProblem.BadSignature, e.Problem);
    }

    [Fact]
    public void An_rsa_key_under_2048_bits_is_refused_as_weak()
    {
        using var key = RSA.Create(1024);
        var der = new CertificateRequest("CN=device-01", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSigningRequest();

        var e = Assert.Throws<CertificationRequestException>(() => CertificationRequest.Parse(der, "weak.csr"));

        Assert.Equal(CertificationRequestProblem.WeakKey, e.Problem);
        Assert.Contains("RSA 1024", e.Message, StringComparison.Ordinal);
        Assert.Contains("at least 2048 bits", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_curve_other_than_P256_or_P384_is_refused()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP521);
        var der = new CertificateRequest("CN=device-01", key, HashAlgorithmName.SHA512).CreateSigningRequest();

        var e = Assert.Throws<CertificationRequestException>(() => CertificationRequest.Parse(der, "p521.csr"));

        Assert.Equal(CertificationRequestProblem.WeakKey, e.Problem);
        Assert.Contains("the curve P-521 is not supported", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not a request at all", "neither PEM")]
    [InlineData("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", "not a CERTIFICATE REQUEST")]
    [InlineData("-----BEGIN CERTIFICATE REQUEST-----\nMAMCAQA=\n-----END CERTIFICATE REQUEST-----\n", "not a PKCS#10 certification request")]
    public void Malformed_input_is_refused_with_what_was_found(string text, string expected)
    {
        var e = Assert.Throws<CertificationRequestException>(() => CertificationRequest.Parse(Encoding.ASCII.GetBytes(text), "bad.csr"));

        Assert.Equal(CertificationRequestProblem.Malformed, e.Problem);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_unreadable()
    {
        var e = Assert.Throws<CertificationRequestException>(() => CertificationRequest.Load("/nonexistent/device.csr"));
        Assert.Equal(CertificationRequestProblem.Unreadable, e.Problem);
    }

    [Theory]
    [InlineData("O=Contoso", "has no CN")]
    [InlineData("CN=device 01", "is not a registration id DPS accepts")]
    public void The_registration_id_is_the_subject_CN_and_must_satisfy_the_DPS_rules(string subject, string expected)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = CertificationRequest.Create(key, new X500DistinguishedName(subject));

        var e = Assert.Throws<CertificationRequestException>(request.RegistrationId);

        Assert.Equal(CertificationRequestProblem.BadSubject, e.Problem);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_request_made_by_openssl_is_accepted()
    {
        using var directory = new TempDirectory();
        var key = Path.Combine(directory.Path, "key.pem");
        var csr = Path.Combine(directory.Path, "device.csr");
        Assert.Equal(0, Openssl.Run("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key).ExitCode);
        var (exit, output) = Openssl.Run("req", "-new", "-key", key, "-subj", "/CN=device-07", "-out", csr);
        Assert.True(exit == 0, output);

        var request = CertificationRequest.Load(csr);

        Assert.Equal("device-07", request.RegistrationId().Value);
    }
}
