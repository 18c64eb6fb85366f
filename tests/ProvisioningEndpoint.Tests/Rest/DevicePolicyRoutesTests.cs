using System.Net;
using DeviceAgent.TestPeers;
using ProvisioningEndpoint.Tests.Support;

namespace ProvisioningEndpoint.Tests.Rest;

/// <summary>
/// The REST API holds uploaded CA certificates, enrollment certificates and registration ids to
/// the DevicePolicy: what no device could attest with is refused at upload with 400004 and the
/// rule's name. The certificates are made with the openssl command line.
/// </summary>
public sealed class DevicePolicyRoutesTests : RestTest
{
    private static async Task AssertRefusedAsync(Task<RestResponse> call, params string[] messageContains)
    {
        var response = await call;
        Assert.True(response.Status == HttpStatusCode.BadRequest, $"expected 400, got {response}");
        Assert.Equal(400004, response.ErrorCode);
        foreach (var text in messageContains)
            Assert.True(response.Message.Contains(text, StringComparison.Ordinal), $"'{text}' not in: {response.Message}");
    }

    [Fact]
    public async Task A_CA_certificate_with_an_RSA_1024_key_is_refused_and_not_stored()
    {
        using var chain = await OpenSslChain.CreateAsync("device-1", root: new OpenSslCertificateSpec("rsa:1024"));
        using var root = chain.LoadRoot();

        await AssertRefusedAsync(Client.PutAsync("/certificates/weak-root", RestBodies.Certificate(root)), "properties.certificate", "RSA 1024", "[KeyStrength:");

        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/certificates/weak-root")).Status);
    }

    [Fact]
    public async Task An_intermediate_signed_with_SHA1_is_refused_as_a_group_signing_certificate()
    {
        using var chain = await OpenSslChain.CreateAsync("device-1", intermediate: new OpenSslCertificateSpec("rsa:2048", "sha1"), root: new OpenSslCertificateSpec("rsa:2048"));
        using var intermediate = chain.LoadIntermediate();

        await AssertRefusedAsync(Client.PutAsync("/enrollmentGroups/sha1-group", RestBodies.Group("sha1-group", intermediate)),
            "signingCertificates.primary.certificate", "sha1WithRSAEncryption", "[SignatureAlgorithm:");
    }

    [Theory]
    [InlineData("rsa:1024", "sha256", "RSA 1024")]
    [InlineData("ec:prime192v1", "sha256", "EC nistP192")]
    [InlineData("ec:P-256", "md5", "md5WithRSAEncryption")]
    public async Task An_individual_enrollment_on_a_weak_device_certificate_is_refused(string key, string digest, string named)
    {
        // md5 over an EC key: openssl signs with the intermediate's key, so make that one RSA.
        using var chain = await OpenSslChain.CreateAsync("device-1", new OpenSslCertificateSpec(key, digest), intermediate: new OpenSslCertificateSpec("rsa:2048"));
        using var leaf = chain.LoadLeaf();

        await AssertRefusedAsync(Client.PutAsync("/enrollments/device-1", RestBodies.Individual("device-1", leaf)),
            "clientCertificates.primary.certificate", named);

        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/enrollments/device-1")).Status);
    }

    [Theory]
    [InlineData("device-1.", "ends with '.'")]
    [InlineData("-device-1", "starts with '-'")]
    [InlineData("device%231", "character 7 ('#') is not allowed")]
    public async Task A_registration_id_DPS_forbids_is_refused_in_the_path(string path, string rule)
    {
        var id = Uri.UnescapeDataString(path);
        using var chain = await OpenSslChain.CreateAsync(id);
        using var leaf = chain.LoadLeaf();

        await AssertRefusedAsync(Client.PutAsync("/enrollments/" + path, RestBodies.Individual(id, leaf)), "registrationId", rule, "DPS registration id rules");
    }

    [Fact]
    public async Task A_strong_openssl_device_certificate_is_accepted()
    {
        using var chain = await OpenSslChain.CreateAsync("device-1", new OpenSslCertificateSpec("rsa:2048"));
        using var leaf = chain.LoadLeaf();

        var response = await Client.PutAsync("/enrollments/device-1", RestBodies.Individual("device-1", leaf));

        Assert.True(response.Status == HttpStatusCode.OK, response.ToString());
    }
}
