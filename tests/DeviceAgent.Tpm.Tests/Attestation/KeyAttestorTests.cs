using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DeviceAgent.TestPeers;
using DeviceAgent.Tpm.Attestation;
using DeviceAgent.Tpm.Constants;
using DeviceAgent.Tpm.Keys;
using DeviceAgent.Tpm.Provisioning;

namespace DeviceAgent.Tpm.Tests.Attestation;

/// <summary>
/// fvt: key attestation against a swtpm that swtpm_setup --create-ek-cert manufactured (EK
/// certificate from a private swtpm_localca); tpm2-tools makes the duplicable key an attacker would
/// offer. The verifier's refusals are shown on real evidence with one field changed.
/// </summary>
public sealed class KeyAttestorTests(SwtpmEkFixture fixture) : IClassFixture<SwtpmEkFixture>
{
    private const uint DeviceKey = 0x81000111;

    private X509Certificate2Collection ManufacturerCas()
    {
        var cas = new X509Certificate2Collection();
        cas.ImportFromPemFile(fixture.Simulator.EkRootCertificate!);
        cas.ImportFromPemFile(fixture.Simulator.EkIssuerCertificate!);
        return cas;
    }

    private (KeyCertificationEvidence Evidence, byte[] Spki) Evidence()
    {
        var key = PersistentPrimary.TryReadPublic(fixture.Tpm, DeviceKey) ?? DeviceKeyFactory.Create(fixture.Tpm, DeviceKey, TcgTemplates.DeviceKeyEccP256);
        return (KeyAttestor.Collect(fixture.Tpm, DeviceKey, ReadOnlyMemory<byte>.Empty), key.Public.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public void A_key_our_stack_made_attests_to_the_manufacturer_ca_and_leaves_no_transient_object()
    {
        var (evidence, spki) = Evidence();
        var result = new KeyAttestationVerifier(ManufacturerCas()).Verify(evidence, spki);

        Assert.Equal(Tpm2.EkCertificateRsaIndex, result.EkCertificateIndex);
        Assert.Equal("CN=swtpm-localca", result.EkCertificateIssuer);
        Assert.Equal("CN=swtpm-localca-rootca", result.TrustAnchor);
        Assert.Equal(TcgTemplates.DeviceKeyAttributes, result.Attributes);
        Assert.Equal(Convert.ToHexString(fixture.Tpm.ReadPublic(DeviceKey).Name.Span), result.CertifiedName);
        Assert.Equal(0, fixture.LoadedTransients());
        // The path is anchored at a root: the issuing CA alone is refused up front, with what to give.
        using var issuerOnly = X509CertificateLoader.LoadCertificateFromFile(fixture.Simulator.EkIssuerCertificate!);
        var noRoot = Assert.Throws<ArgumentException>(() => new KeyAttestationVerifier([issuerOnly]));
        Assert.Contains("no self-signed root", noRoot.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_ek_certificate_from_another_manufacturer_is_refused()
    {
        var (evidence, spki) = Evidence();
        using var other = TestCa.CreateRoot("Other TPM Manufacturer");
        var error = Assert.Throws<KeyAttestationException>(() => new KeyAttestationVerifier([other.Certificate]).Verify(evidence, spki));
        Assert.Equal(KeyAttestationFailure.EkCertificateUntrusted, error.Failure);
        Assert.Contains("does not chain to the manufacturer CA (\"CN=Other TPM Manufacturer\")", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tampered_evidence_is_refused_with_the_check_that_failed()
    {
        var (evidence, spki) = Evidence();
        var verifier = new KeyAttestationVerifier(ManufacturerCas());
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var flipped = evidence.CertifyInfo.ToArray();
        flipped[^1] ^= 1;
        AssertRefused(KeyAttestationFailure.AttestationInvalid, "does not verify", verifier, evidence with { CertifyInfo = flipped }, spki);
        AssertRefused(KeyAttestationFailure.AttestationInvalid, "replay", verifier, evidence with { Nonce = new byte[32] }, spki);
        var otherKey = fixture.Tpm.ReadPublic(TcgTemplates.SrkHandle).Public;
        AssertRefused(KeyAttestationFailure.NameMismatch, "another object", verifier, evidence with { CertifiedKey = otherKey }, spki);
        AssertRefused(KeyAttestationFailure.EkMismatch, "another key than this TPM's EK", verifier, evidence with { EndorsementKey = otherKey }, spki);
        AssertRefused(KeyAttestationFailure.AttestationKeyRejected, "not a restricted", verifier, evidence with { AttestationKey = evidence.CertifiedKey }, spki);
        AssertRefused(KeyAttestationFailure.KeyMismatch, "not the key of the certification request", verifier, evidence, stranger.ExportSubjectPublicKeyInfo());
        AssertRefused(KeyAttestationFailure.EkCertificateUntrusted, "does not hold a DER X.509", verifier, evidence with { EkCertificate = new byte[] { 0x30, 0x03, 1, 2, 3 } }, spki);
    }

    [Fact]
    public async Task A_duplicable_key_tpm2_create_made_is_refused_for_its_attributes()
    {
        const uint duplicable = 0x81000112;
        fixture.Transport.Close(); // swtpm serves one client at a time
        await fixture.Simulator.PersistDuplicableKeyAsync(duplicable);
        var key = fixture.Tpm.ReadPublic(duplicable).Public;
        Assert.Equal(TpmaObject.None, key.ObjectAttributes & (TpmaObject.FixedTpm | TpmaObject.FixedParent));

        var error = Assert.Throws<KeyAttestationException>(() =>
            KeyAttestor.Attest(fixture.Tpm, duplicable, ReadOnlyMemory<byte>.Empty, new KeyAttestationVerifier(ManufacturerCas()), key.ExportSubjectPublicKeyInfo()));
        Assert.Equal(KeyAttestationFailure.AttributesWrong, error.Failure);
        Assert.Contains("fixedTPM is clear: the key can be duplicated to another TPM", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, fixture.LoadedTransients());
    }

    [Fact]
    public async Task A_tpm_without_an_ek_certificate_is_refused_with_the_indices_looked_at()
    {
        using var plain = await Swtpm.StartAsync();
        using var tpm = new Tpm2(new DeviceAgent.Tpm.Transport.SwtpmTransport("127.0.0.1", plain.Port));
        DeviceKeyFactory.Create(tpm, DeviceKey, TcgTemplates.DeviceKeyEccP256);
        var error = Assert.Throws<KeyAttestationException>(() => KeyAttestor.Collect(tpm, DeviceKey, ReadOnlyMemory<byte>.Empty));
        Assert.Equal(KeyAttestationFailure.NoEkCertificate, error.Failure);
        Assert.Contains("no EK certificate (NV index 0x01C00002 for RSA nor 0x01C0000A for ECC", error.Message, StringComparison.Ordinal);
    }

    private static void AssertRefused(KeyAttestationFailure failure, string text, KeyAttestationVerifier verifier, KeyCertificationEvidence evidence, byte[] spki)
    {
        var error = Assert.Throws<KeyAttestationException>(() => verifier.Verify(evidence, spki));
        Assert.Equal(failure, error.Failure);
        Assert.Contains(text, error.Message, StringComparison.Ordinal);
    }
}
