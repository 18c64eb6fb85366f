using DeviceAgent.Pki.ProofOfPossession;
using DeviceAgent.Pki.Tests.Support;

namespace DeviceAgent.Pki.Tests.ProofOfPossession;

public sealed class ProofOfPossessionVerifierTests
{
    [Fact]
    public void Each_way_a_proof_can_fail_is_named()
    {
        using var pki = new TestPki();
        var code = VerificationCode.Parse("ABC123");
        using var proof = pki.Intermediate.Issue("CN=ABC123", CertificateProfile.Device);
        using var otherCode = pki.Intermediate.Issue("CN=XYZ789", CertificateProfile.Device);
        using var fromRoot = pki.Root.Issue("CN=ABC123", CertificateProfile.Device);

        Assert.True(ProofOfPossessionVerifier.Verify(pki.Intermediate.Certificate, proof.Certificate, code, TestPki.Now).IsValid);
        Assert.Equal(ProofOfPossessionProblem.SubjectMismatch, ProofOfPossessionVerifier.Verify(pki.Intermediate.Certificate, otherCode.Certificate, code, TestPki.Now).Problem);
        Assert.Equal(ProofOfPossessionProblem.IssuerMismatch, ProofOfPossessionVerifier.Verify(pki.Intermediate.Certificate, fromRoot.Certificate, code, TestPki.Now).Problem);
        Assert.Equal(ProofOfPossessionProblem.Expired, ProofOfPossessionVerifier.Verify(pki.Intermediate.Certificate, proof.Certificate, code, TestPki.Now.AddYears(10)).Problem);
        Assert.Equal(ProofOfPossessionProblem.NotYetValid, ProofOfPossessionVerifier.Verify(pki.Intermediate.Certificate, proof.Certificate, code, TestPki.Now.AddYears(-10)).Problem);
    }
}
