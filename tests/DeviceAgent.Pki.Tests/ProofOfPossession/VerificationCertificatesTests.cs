using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Keys;
using DeviceAgent.Pki.Authority;
using DeviceAgent.Pki.ProofOfPossession;
using DeviceAgent.Pki.Tests.Support;

namespace DeviceAgent.Pki.Tests.ProofOfPossession;

/// <summary>Real-peer tier: openssl verify judges the verification certificates, as DPS's own check would.</summary>
[Collection(SharedHierarchyGroup.Name)]
public sealed class VerificationCertificatesTests(SharedHierarchy hierarchy)
{
    private const string Code = "75B86466DA34D2B04C0C4C9557A119687ADAE7D4732BDDB3";

    [Fact]
    public void The_verification_certificate_carries_the_code_is_signed_by_the_CA_and_is_short_lived()
    {
        var ca = hierarchy.Line;

        using var issued = VerificationCertificates.Issue(ca, VerificationCode.Parse(Code));

        var certificate = issued.Certificate;
        Assert.Equal($"CN={Code}", certificate.Subject);
        Assert.Equal(ca.Certificate.Subject, certificate.Issuer);
        Assert.False(certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.InRange((certificate.NotAfter - certificate.NotBefore).TotalHours, 24, 24.1);
        Assert.Equal(IssuanceKind.Verification, ca.Entry.Log.Read()[^1].Kind);
        var verdict = ProofOfPossessionVerifier.Verify(ca.Certificate, certificate, VerificationCode.Parse(Code.ToLowerInvariant()), DateTimeOffset.UtcNow);
        Assert.True(verdict.IsValid, verdict.Message);

        using var directory = new TempDirectory();
        var (exit, output) = Openssl.Run("verify", "-partial_chain", "-CAfile", directory.File("ca.pem", ca.Certificate.ExportCertificatePem()),
            directory.File("verify.pem", certificate.ExportCertificatePem()));
        Assert.True(exit == 0, output);
    }

    [Fact]
    public void A_verification_certificate_signed_by_another_key_under_the_same_name_fails_openssl_and_the_verifier()
    {
        using var impostorStore = new TestStore();
        var sameName = hierarchy.Line.Certificate.SubjectName;
        CaCreator.CreateRoot(impostorStore.Store, new CaSpecification("impostor", sameName, KeyAlgorithm.EcP256, null, TimeSpan.FromDays(30),
            impostorStore.FileKey), TestStore.Keys).Dispose();
        using var impostor = impostorStore.Open("impostor");

        using var forged = VerificationCertificates.Issue(impostor, VerificationCode.Parse(Code));

        Assert.Equal(hierarchy.Line.Certificate.Subject, forged.Certificate.Issuer); // names alone cannot tell them apart
        var verdict = ProofOfPossessionVerifier.Verify(hierarchy.Line.Certificate, forged.Certificate, VerificationCode.Parse(Code), DateTimeOffset.UtcNow);
        Assert.Equal(ProofOfPossessionProblem.BadSignature, verdict.Problem);
        Assert.Contains("not signed with the CA's private key", verdict.Message, StringComparison.Ordinal);

        using var directory = new TempDirectory();
        var (exit, output) = Openssl.Run("verify", "-partial_chain", "-CAfile", directory.File("ca.pem", hierarchy.Line.Certificate.ExportCertificatePem()),
            directory.File("forged.pem", forged.Certificate.ExportCertificatePem()));
        Assert.True(exit != 0, output);
        Assert.Contains("verification failed", output, StringComparison.Ordinal);
        // X509_V_ERR_CERT_SIGNATURE_FAILURE (7), or X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY (20) when OpenSSL already
        // rules the CA out because the forged certificate's authority key identifier names the impostor's key.
        Assert.Matches("error (7|20) at 0 depth lookup", output);
    }

    [Theory]
    [InlineData("")]
    [InlineData("code with spaces")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123456789")]
    public void A_code_that_cannot_be_a_CN_is_refused(string code) =>
        Assert.Throws<ArgumentException>(() => VerificationCode.Parse(code));
}
