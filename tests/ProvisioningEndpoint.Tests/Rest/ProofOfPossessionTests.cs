using System.Net;
using System.Security.Cryptography;
using DeviceAgent.TestPeers;
using ProvisioningEndpoint.Tests.Support;

namespace ProvisioningEndpoint.Tests.Rest;

/// <summary>
/// Proof of possession through the REST API, and the attacks it stops: a group for an unverified
/// CA, a verification certificate signed by another key, a CN that is not the current code, an
/// old code after regeneration, an expired code, and a sniffed intermediate (certificate, no key).
/// </summary>
public sealed class ProofOfPossessionTests : RestTest
{
    [Fact]
    public async Task An_uploaded_CA_starts_unverified_and_a_verification_certificate_signed_with_its_key_verifies_it()
    {
        await Client.UploadCaAsync("root", Pki.Root.Certificate);
        Assert.False((await Client.GetAsync("/certificates/root")).Json.GetProperty("properties").GetProperty("isVerified").GetBoolean());

        var (code, etag) = await Client.GenerateCodeAsync("root");
        using var verification = Pki.Root.SignVerificationCertificate(code);
        var response = await Client.VerifyAsync("root", verification, etag);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.True(response.Json.GetProperty("properties").GetProperty("isVerified").GetBoolean());
        Assert.True((await Endpoint.Store.GetCertificateAsync("root"))!.IsVerified);
        Assert.Matches("^[0-9A-F]{48}$", code); // 192 random bits
    }

    [Fact]
    public async Task A_group_for_an_unverified_CA_is_refused_naming_the_certificate_and_what_to_do()
    {
        await Client.UploadCaAsync("root", Pki.Root.Certificate);

        await RestArrange.AssertErrorAsync(Client.PutAsync("/enrollmentGroups/root-group", RestBodies.Group("root-group", Pki.Root.Certificate)),
            HttpStatusCode.BadRequest, Pki.Root.Certificate.Thumbprint, "is not verified and does not roll up to a verified CA certificate", "'root' (unverified)",
            "generateVerificationCode", "bringup ca verify");
        await RestArrange.AssertErrorAsync(Client.PutAsync("/enrollmentGroups/root-group", RestBodies.GroupByReference("root-group", "root")),
            HttpStatusCode.BadRequest, "is not verified");
        Assert.Null(await Endpoint.Store.GetEnrollmentGroupAsync("root-group"));
    }

    [Fact]
    public async Task A_group_for_a_certificate_nobody_uploaded_is_refused()
    {
        await RestArrange.AssertErrorAsync(Client.PutAsync("/enrollmentGroups/group-a", RestBodies.Group("group-a", Pki.A.Certificate)),
            HttpStatusCode.BadRequest, "neither it nor an issuer of it is uploaded");
    }

    [Fact]
    public async Task A_group_for_an_intermediate_that_rolls_up_to_the_verified_root_is_accepted()
    {
        await Client.ProveAsync("root", Pki.Root);

        await Client.CreateGroupAsync("group-a", Pki.A.Certificate);
    }

    [Fact]
    public async Task A_verification_certificate_signed_by_another_key_is_refused()
    {
        await Client.UploadCaAsync("root", Pki.Root.Certificate);
        var (code, _) = await Client.GenerateCodeAsync("root");
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var forged = Pki.Root.SignVerificationCertificate(code, otherKey); // issuer name right, signature wrong

        await RestArrange.AssertErrorAsync(Client.VerifyAsync("root", forged), HttpStatusCode.BadRequest,
            "does not verify with the CA's public key", "stays unverified");
        Assert.False((await Endpoint.Store.GetCertificateAsync("root"))!.IsVerified);
    }

    [Fact]
    public async Task A_verification_certificate_whose_CN_is_not_the_current_code_is_refused()
    {
        await Client.UploadCaAsync("root", Pki.Root.Certificate);
        await Client.GenerateCodeAsync("root");
        using var wrongCn = Pki.Root.SignVerificationCertificate(Convert.ToHexString(RandomNumberGenerator.GetBytes(24)));

        await RestArrange.AssertErrorAsync(Client.VerifyAsync("root", wrongCn), HttpStatusCode.BadRequest, "not the verification code");
        Assert.False((await Endpoint.Store.GetCertificateAsync("root"))!.IsVerified);
    }

    [Fact]
    public async Task An_old_code_after_regeneration_is_refused_and_the_new_one_works()
    {
        await Client.UploadCaAsync("root", Pki.Root.Certificate);
        var (oldCode, _) = await Client.GenerateCodeAsync("root");
        var (newCode, _) = await Client.GenerateCodeAsync("root");
        using var old = Pki.Root.SignVerificationCertificate(oldCode);
        using var current = Pki.Root.SignVerificationCertificate(newCode);

        await RestArrange.AssertErrorAsync(Client.VerifyAsync("root", old), HttpStatusCode.BadRequest, $"subject CN is '{oldCode}', not the verification code '{newCode}'");
        Assert.Equal(HttpStatusCode.OK, (await Client.VerifyAsync("root", current)).Status);
    }

    [Fact]
    public async Task An_expired_code_is_refused()
    {
        await Client.UploadCaAsync("root", Pki.Root.Certificate);
        var (code, _) = await Client.GenerateCodeAsync("root");
        // Time passes beyond the code's lifetime.
        var entry = (await Endpoint.Store.GetCertificateAsync("root"))!;
        await Endpoint.Store.PutCertificateAsync(entry with { VerificationCodeExpiresUtc = DateTimeOffset.UtcNow.AddSeconds(-1) }, entry.Etag);
        using var verification = Pki.Root.SignVerificationCertificate(code);

        await RestArrange.AssertErrorAsync(Client.VerifyAsync("root", verification), HttpStatusCode.BadRequest, "verification code of certificate 'root' expired", "generate a new one");
    }

    [Fact]
    public async Task A_code_expires_after_the_configured_lifetime()
    {
        await Client.UploadCaAsync("root", Pki.Root.Certificate);
        var before = DateTimeOffset.UtcNow;

        var response = await Client.PostAsync("/certificates/root/generateVerificationCode", "");

        var expiry = response.Json.GetProperty("properties").GetProperty("verificationCodeExpiry").GetDateTimeOffset();
        Assert.InRange(expiry, before.AddMinutes(Endpoint.Configuration.VerificationCodeLifetimeMinutes).AddSeconds(-5), DateTimeOffset.UtcNow.AddMinutes(60).AddSeconds(5));
    }

    [Fact]
    public async Task A_sniffed_intermediate_cannot_be_verified_nor_bound_to_a_group()
    {
        // The attacker's own service: certificate A sniffed from a device's handshake, but not A's key.
        await Client.UploadCaAsync("sniffed", Pki.A.Certificate);
        var (code, _) = await Client.GenerateCodeAsync("sniffed");
        using var attackerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var attempt = Pki.A.SignVerificationCertificate(code, attackerKey);

        await RestArrange.AssertErrorAsync(Client.VerifyAsync("sniffed", attempt), HttpStatusCode.BadRequest, "was not signed with the CA's private key");
        await RestArrange.AssertErrorAsync(Client.PutAsync("/enrollmentGroups/hijack", RestBodies.Group("hijack", Pki.A.Certificate)),
            HttpStatusCode.BadRequest, "is not verified");
        await RestArrange.AssertErrorAsync(Client.PutAsync("/certificates/sniffed-verified",
            """{"properties": {"certificate": "%PEM%", "isVerified": true}}""".Replace("%PEM%", RestBodies.Pem(Pki.A.Certificate).Replace("\n", "\\n", StringComparison.Ordinal), StringComparison.Ordinal)),
            HttpStatusCode.BadRequest, "'properties.isVerified' is true");
    }

    [Fact]
    public async Task A_successful_verify_spends_the_code()
    {
        await Client.ProveAsync("root", Pki.Root);
        using var again = Pki.Root.SignVerificationCertificate("anything");

        await RestArrange.AssertErrorAsync(Client.VerifyAsync("root", again), HttpStatusCode.BadRequest, "is verified already and has no verification code");
    }

    [Fact]
    public async Task Replacing_the_certificate_invalidates_its_code_and_its_verification()
    {
        await Client.ProveAsync("root", Pki.Root);
        using var other = TestCa.CreateRoot("Other Root");
        var (code, etag) = await Client.GenerateCodeAsync("root");

        var replaced = await Client.PutAsync("/certificates/root", RestBodies.Certificate(other.Certificate), etag);

        Assert.Equal(HttpStatusCode.OK, replaced.Status);
        Assert.False(replaced.Json.GetProperty("properties").GetProperty("isVerified").GetBoolean());
        using var verification = other.SignVerificationCertificate(code);
        await RestArrange.AssertErrorAsync(Client.VerifyAsync("root", verification), HttpStatusCode.BadRequest, "has no verification code");
    }

    [Fact]
    public async Task Verify_naming_a_stale_etag_is_refused_with_412()
    {
        await Client.UploadCaAsync("root", Pki.Root.Certificate);
        var (_, firstEtag) = await Client.GenerateCodeAsync("root");
        var (code, _) = await Client.GenerateCodeAsync("root");
        using var verification = Pki.Root.SignVerificationCertificate(code);

        await RestArrange.AssertErrorAsync(Client.VerifyAsync("root", verification, firstEtag), HttpStatusCode.PreconditionFailed, "changed");
    }
}
