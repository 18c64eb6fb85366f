using System.Net;
using ProvisioningEndpoint.Tests.Support;

namespace ProvisioningEndpoint.Tests.Rest;

/// <summary>The CA certificate routes (ARM-like): upload, list, get, delete, etags, and what they refuse.</summary>
public sealed class CertificateRoutesTests : RestTest
{
    [Fact]
    public async Task Upload_then_list_and_get_show_ARM_like_resources()
    {
        await Client.UploadCaAsync("root", Pki.Root.Certificate);
        await Client.UploadCaAsync("certificate-a", Pki.A.Certificate);

        var list = (await Client.GetAsync("/certificates")).Json.GetProperty("value").EnumerateArray().ToList();
        Assert.Equal(["certificate-a", "root"], list.Select(c => c.GetProperty("name").GetString()));
        var root = (await Client.GetAsync("/certificates/root")).Json;
        Assert.Equal("/certificates/root", root.GetProperty("id").GetString());
        Assert.Equal("Microsoft.Devices/provisioningServices/certificates", root.GetProperty("type").GetString());
        var properties = root.GetProperty("properties");
        Assert.Equal("CN=Contoso Root CA", properties.GetProperty("subject").GetString());
        Assert.Equal(Pki.Root.Certificate.Thumbprint, properties.GetProperty("thumbprint").GetString());
        Assert.Equal(RestBodies.Base64(Pki.Root.Certificate), properties.GetProperty("certificate").GetString());
        Assert.False(properties.TryGetProperty("verificationCode", out _));
    }

    [Fact]
    public async Task Uploading_over_an_existing_certificate_needs_If_Match_and_the_same_certificate_keeps_its_verification()
    {
        await Client.ProveAsync("root", Pki.Root);
        var etag = (await Client.GetAsync("/certificates/root")).Json.GetProperty("etag").GetString()!;

        await RestArrange.AssertErrorAsync(Client.PutAsync("/certificates/root", RestBodies.Certificate(Pki.Root.Certificate)), HttpStatusCode.Conflict, "exists");
        await RestArrange.AssertErrorAsync(Client.PutAsync("/certificates/root", RestBodies.Certificate(Pki.Root.Certificate), "\"stale\""), HttpStatusCode.PreconditionFailed, "changed");
        var same = await Client.PutAsync("/certificates/root", RestBodies.Certificate(Pki.Root.Certificate), etag);
        Assert.True(same.Json.GetProperty("properties").GetProperty("isVerified").GetBoolean());
    }

    [Fact]
    public async Task Delete_removes_it_and_honours_If_Match()
    {
        var etag = await Client.UploadCaAsync("root", Pki.Root.Certificate);

        await RestArrange.AssertErrorAsync(Client.DeleteAsync("/certificates/root", "\"stale\""), HttpStatusCode.PreconditionFailed, "changed");
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("/certificates/root", etag)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/certificates/root")).Status);
    }

    [Fact]
    public async Task What_is_not_a_CA_certificate_upload_is_refused_naming_the_field()
    {
        await RestArrange.AssertErrorAsync(Client.PutAsync("/certificates/leaf", RestBodies.Certificate(Pki[1].Leaf)),
            HttpStatusCode.BadRequest, "'properties.certificate'", "not a CA certificate");
        await RestArrange.AssertErrorAsync(Client.PutAsync("/certificates/root", "{}"), HttpStatusCode.BadRequest, "'properties' is required");
        await RestArrange.AssertErrorAsync(Client.PutAsync("/certificates/root", """{"properties": {}}"""), HttpStatusCode.BadRequest, "'properties.certificate' is required");
        await RestArrange.AssertErrorAsync(Client.PutAsync("/certificates/root", """{"properties": {"certificate": "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"}}"""),
            HttpStatusCode.BadRequest, "holds a PEM 'PRIVATE KEY' block");
        await RestArrange.AssertErrorAsync(Client.PutAsync("/certificates/.hidden", RestBodies.Certificate(Pki.Root.Certificate)),
            HttpStatusCode.BadRequest, "'name' (path) '.hidden' is not a certificate name");
    }

    [Fact]
    public async Task Verify_without_a_code_says_to_generate_one()
    {
        await Client.UploadCaAsync("root", Pki.Root.Certificate);
        using var verification = Pki.Root.SignVerificationCertificate("whatever");

        await RestArrange.AssertErrorAsync(Client.VerifyAsync("root", verification), HttpStatusCode.BadRequest, "has no verification code; POST /certificates/root/generateVerificationCode first");
    }
}
