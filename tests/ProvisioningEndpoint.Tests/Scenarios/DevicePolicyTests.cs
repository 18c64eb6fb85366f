using DeviceAgent.TestPeers;
using ProvisioningEndpoint.Tests.Support;

namespace ProvisioningEndpoint.Tests.Scenarios;

/// <summary>
/// The DPS listener holds a presented chain and its registration id to the DevicePolicy: chains
/// made with the openssl command line (not by this project) with a weak key, a SHA-1 signature or
/// a registration id DPS forbids are refused with DPS's error code and the rule's name, and leave
/// no hub device behind.
/// </summary>
public sealed class DevicePolicyTests : IAsyncLifetime
{
    private EndpointUnderTest _endpoint = null!;

    public async Task InitializeAsync() => _endpoint = await EndpointUnderTest.StartAsync();

    public async Task DisposeAsync() => await _endpoint.DisposeAsync();

    private async Task<OpenSslChain> EnrolledAsync(string registrationId, OpenSslCertificateSpec? leaf = null, OpenSslCertificateSpec? intermediate = null)
    {
        var chain = await OpenSslChain.CreateAsync(registrationId, leaf, intermediate);
        using var root = chain.LoadRoot();
        await _endpoint.Store.UploadCaAsync("openssl-root-" + registrationId.Length, root, verified: true);
        await _endpoint.Store.PutGroupAsync("openssl-group-" + registrationId.Length, root);
        return chain;
    }

    private async Task AssertNoHubDeviceAsync(string registrationId)
    {
        foreach (var hub in _endpoint.Configuration.Hubs)
            Assert.DoesNotContain(await _endpoint.Store.ListHubDevicesAsync(hub.Name), d => string.Equals(d.DeviceId, registrationId, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task An_openssl_chain_with_P256_keys_and_SHA256_signatures_provisions()
    {
        using var chain = await EnrolledAsync("openssl-device-1");

        var (result, refusal) = await _endpoint.RegisterAsync(chain);

        Assert.True(result is not null, refusal?.Message);
        Assert.Equal("openssl-device-1", result.DeviceId);
    }

    [Theory]
    [InlineData("rsa:1024", "sha256", "RSA 1024", "KeyStrength")]
    [InlineData("ec:P-521", "sha256", "P-521", "KeyStrength")]
    [InlineData("ec:P-256", "sha1", "SHA-1", "SignatureAlgorithm")]
    public async Task A_leaf_DPS_would_refuse_fails_attestation_with_401002_naming_the_rule(string key, string digest, string named, string rule)
    {
        using var chain = await EnrolledAsync("weak-leaf-1", new OpenSslCertificateSpec(key, digest));

        var (result, refusal) = await _endpoint.RegisterAsync(chain);

        Assert.Null(result);
        Assert.True(refusal!.Status == 401, refusal.Message);
        Assert.Contains(named, refusal.Message, StringComparison.Ordinal);
        Assert.Contains($"[{rule}:", refusal.Message, StringComparison.Ordinal);
        var record = await _endpoint.Store.GetRegistrationAsync("weak-leaf-1");
        Assert.Equal(("failed", 401002), (record!.Status, record.ErrorCode));
        await AssertNoHubDeviceAsync("weak-leaf-1");
    }

    [Fact]
    public async Task A_P192_leaf_is_refused_already_by_the_TLS_handshake_and_gets_no_hub_device()
    {
        // TLS 1.2 and 1.3 have no signature scheme for P-192 (RFC 8446 4.2.3): the handshake fails before DPS.
        using var chain = await EnrolledAsync("p192-leaf-1", new OpenSslCertificateSpec("ec:prime192v1"));

        var (result, refusal) = await _endpoint.RegisterAsync(chain);

        Assert.Null(result);
        Assert.NotNull(refusal);
        Assert.Null(await _endpoint.Store.GetRegistrationAsync("p192-leaf-1"));
        await AssertNoHubDeviceAsync("p192-leaf-1");
    }

    [Fact]
    public async Task An_intermediate_signed_with_SHA1_fails_attestation()
    {
        using var chain = await EnrolledAsync("sha1-intermediate-1", intermediate: new OpenSslCertificateSpec("ec:P-256", "sha1"));

        var (result, refusal) = await _endpoint.RegisterAsync(chain);

        Assert.Null(result);
        Assert.True(refusal!.Status == 401, refusal.Message);
        Assert.Contains("(intermediate) \"CN=OpenSSL Test Intermediate\"", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("ecdsa-with-SHA1", refusal.Message, StringComparison.Ordinal);
        await AssertNoHubDeviceAsync("sha1-intermediate-1");
    }

    [Theory]
    [InlineData("device-1.", "ends with '.'")]
    [InlineData("_device-1", "starts with '_'")]
    [InlineData("device 1", "character 7 ('U+0020') is not allowed")]
    [InlineData("device#1", "character 7 ('#') is not allowed")]
    [InlineData("device-1:", "ends with ':'")]
    public async Task A_registration_id_DPS_forbids_is_refused_with_400004_and_gets_no_hub_device(string registrationId, string rule)
    {
        using var chain = await EnrolledAsync(registrationId);

        var (result, refusal) = await _endpoint.RegisterAsync(chain);

        Assert.Null(result);
        Assert.True(refusal!.Status == 400, refusal.Message);
        Assert.True(refusal.Message.Contains(rule, StringComparison.Ordinal), refusal.Message);
        Assert.Contains("DPS registration id rules", refusal.Message, StringComparison.Ordinal);
        Assert.Null(await _endpoint.Store.GetRegistrationAsync(registrationId));
        await AssertNoHubDeviceAsync(registrationId);
    }
}
