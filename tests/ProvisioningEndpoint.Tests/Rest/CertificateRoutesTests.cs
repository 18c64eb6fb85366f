using System.Net;
using ProvisioningEndpoint.Tests.Support;

namespace ProvisioningEndpoint.Tests.Rest;

/// <summary>The CA certificate routes (ARM-like): upload, list, get, delete, etags, and what they refuse.</summary>
public sealed class CertificateRoutesTests : IAsyncLifetime
{
    private readonly FiveDevices _pki = new();
    private EndpointUnderTest _endpoint = null!;
    private RestClient _client = null!;

    public async Task InitializeAsync()
    {
        _endpoint = await EndpointUnderTest.StartAsync();
        _client = RestClient.Provisioning(_endpoint);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _endpoint.DisposeAsync();
        _pki.Dispose();
    }

    [Fact]
    public async Task Upload_then_list_and_get_show_ARM_like_resources()
    {
        await _client.UploadCaAsync("root", _pki.Root.Certificate);
        await _client.UploadCaAsync("certificate-a", _pki.A.Certificate);

        var list = (await _client.GetAsync("/certificates")).Json.GetProperty("value").EnumerateArray().ToList();
        Assert.Equal(["certificate-a", "root"], list.Select(c => c.GetProperty("name").GetString()));
        var root = (await _client.GetAsync("/certificates/root")).Json;
        Assert.Equal("/certificates/root", root.GetProperty("id").GetString());
        Assert.Equal("Microsoft.Devices/provisioningServices/certificates", root.GetProperty("type").GetString());
        var properties = root.GetProperty("properties");
        Assert.Equal("CN=Contoso Root CA", properties.GetProperty("subject").GetString());
        Assert.Equal(_pki.Root.Certificate.Thumbprint, properties.GetProperty("thumbprint").GetString());
        Assert.Equal(RestBodies.Base64(_pki.Root.Certificate), properties.GetProperty("certificate").GetString());
        Assert.False(properties.TryGetProperty("verificationCode", out _));
    }

    [Fact]
    public async Task Uploading_over_an_existing_certificate_needs_If_Match_and_the_same_certificate_keeps_its_verification()
    {
        await _client.ProveAsync("root", _pki.Root);
        var etag = (await _client.GetAsync("/certificates/root")).Json.GetProperty("etag").GetString()!;

        await RestArrange.AssertErrorAsync(_client.PutAsync("/certificates/root", RestBodies.Certificate(_pki.Root.Certificate)), HttpStatusCode.Conflict, "exists");
        await RestArrange.AssertErrorAsync(_client.PutAsync("/certificates/root", RestBodies.Certificate(_pki.Root.Certificate), "\"stale\""), HttpStatusCode.PreconditionFailed, "changed");
        var same = await _client.PutAsync("/certificates/root", RestBodies.Certificate(_pki.Root.Certificate), etag);
        Assert.True(same.Json.GetProperty("properties").GetProperty("isVerified").GetBoolean());
    }

    [Fact]
    public async Task Delete_removes_it_and_honours_If_Match()
    {
        var etag = await _client.UploadCaAsync("root", _pki.Root.Certificate);

        await RestArrange.AssertErrorAsync(_client.DeleteAsync("/certificates/root", "\"stale\""), HttpStatusCode.PreconditionFailed, "changed");
        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync("/certificates/root", etag)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync("/certificates/root")).Status);
    }

    [Fact]
    public async Task What_is_not_a_CA_certificate_upload_is_refused_naming_the_field()
    {
        await RestArrange.AssertErrorAsync(_client.PutAsync("/certificates/leaf", RestBodies.Certificate(_pki[1].Leaf)),
            HttpStatusCode.BadRequest, "'properties.certificate'", "not a CA certificate");
        await RestArrange.AssertErrorAsync(_client.PutAsync("/certificates/root", "{}"), HttpStatusCode.BadRequest, "'properties' is required");
        await RestArrange.AssertErrorAsync(_client.PutAsync("/certificates/root", """{"properties": {}}"""), HttpStatusCode.BadRequest, "'properties.certificate' is required");
        await RestArrange.AssertErrorAsync(_client.PutAsync("/certificates/root", """{"properties": {"certificate": "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"}}"""),
            HttpStatusCode.BadRequest, "holds a PEM 'PRIVATE KEY' block");
        await RestArrange.AssertErrorAsync(_client.PutAsync("/certificates/.hidden", RestBodies.Certificate(_pki.Root.Certificate)),
            HttpStatusCode.BadRequest, "'name' (path) '.hidden' is not a certificate name");
    }

    [Fact]
    public async Task Verify_without_a_code_says_to_generate_one()
    {
        await _client.UploadCaAsync("root", _pki.Root.Certificate);
        using var verification = _pki.Root.SignVerificationCertificate("whatever");

        await RestArrange.AssertErrorAsync(_client.VerifyAsync("root", verification), HttpStatusCode.BadRequest, "has no verification code; POST /certificates/root/generateVerificationCode first");
    }
}
