using DeviceAgent.TestPeers;
using Factory.Tests.Support;

namespace Factory.Tests.Commands;

/// <summary>
/// bringup holds certificates made outside the project (the openssl command line) and
/// registration ids to the DevicePolicy, as the endpoint does: inspect reports the broken rule,
/// ca import and enrollment create refuse before anything is stored or sent.
/// </summary>
[Collection(FactoryPeers.Name)]
public sealed class DevicePolicyTests(TokenSimulators tokens)
{
    [Theory]
    [InlineData("ec:P-256", "sha1", "ecdsa-with-SHA1")]
    [InlineData("rsa:1024", "sha256", "RSA 1024")]
    public async Task Inspect_fails_the_strength_check_of_a_weak_openssl_bundle(string key, string digest, string named)
    {
        using var workspace = new Workspace(tokens);
        using var chain = await OpenSslChain.CreateAsync("device-1", new OpenSslCertificateSpec(key, digest));

        var result = await Bringup.RunAsync(workspace, "inspect", chain.BundlePath, "--root", chain.RootPath);

        Assert.True(result.ExitCode == 1, result.Transcript);
        Assert.Contains("[FAIL] key-and-signature-strength: ", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(named, result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_passes_a_strong_openssl_bundle()
    {
        using var workspace = new Workspace(tokens);
        using var chain = await OpenSslChain.CreateAsync("device-1", new OpenSslCertificateSpec("rsa:2048"), new OpenSslCertificateSpec("ec:P-384", "sha384"));

        var result = await Bringup.RunAsync(workspace, "inspect", chain.BundlePath, "--root", chain.RootPath);

        Assert.True(result.ExitCode == 0, result.Transcript);
        Assert.Contains("key-and-signature-strength", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ca_import_refuses_an_RSA_1024_root_and_stores_nothing()
    {
        using var workspace = new Workspace(tokens);
        using var chain = await OpenSslChain.CreateAsync("device-1", root: new OpenSslCertificateSpec("rsa:1024"));

        var result = await Bringup.RunAsync(workspace, "ca", "import", "--name", "weak", "--cert", chain.RootPath);

        Assert.True(result.ExitCode != 0, result.Transcript);
        Assert.Contains("RSA 1024", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("[KeyStrength:", result.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(workspace.In("ca", "weak")), "the refused CA was stored");
    }

    [Fact]
    public async Task Ca_import_refuses_an_intermediate_signed_with_SHA1()
    {
        using var workspace = new Workspace(tokens);
        using var chain = await OpenSslChain.CreateAsync("device-1", intermediate: new OpenSslCertificateSpec("ec:P-256", "sha1"));

        var result = await Bringup.RunAsync(workspace, "ca", "import", "--name", "sha1-line", "--cert", chain.IntermediatePath);

        Assert.True(result.ExitCode != 0, result.Transcript);
        Assert.Contains("ecdsa-with-SHA1", result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("device-1.", "rsa:2048", "ends with '.'")]
    [InlineData("device_1-", "rsa:2048", "ends with '-'")]
    [InlineData("device-1", "rsa:1024", "RSA 1024")]
    public async Task Enrollment_create_refuses_what_DPS_would_refuse_with_400004_before_connecting(string registrationId, string key, string named)
    {
        using var workspace = new Workspace(tokens);
        using var chain = await OpenSslChain.CreateAsync(registrationId, new OpenSslCertificateSpec(key));

        // Port 9 (discard) is never an endpoint: a connection attempt would fail differently.
        var result = await Bringup.RunAsync(workspace, "enrollment", "create", "--registration-id", registrationId, "--cert", chain.LeafPath,
            "--connection-string", "HostName=127.0.0.1:9;SharedAccessKeyName=provisioningserviceowner;SharedAccessKey=bm90LWEta2V5");

        Assert.True(result.ExitCode == 2, result.Transcript);
        Assert.Contains("DPS would answer 400004", result.StandardError, StringComparison.Ordinal);
        Assert.Contains(named, result.StandardError, StringComparison.Ordinal);
    }
}
