using System.Text.Json;
using DeviceAgent.Keys;
using DeviceAgent.TestPeers;
using DeviceAgent.Tests.Support;

namespace DeviceAgent.Tests.Doctor;

/// <summary>
/// The key in a TPM or an HSM signs a TLS handshake in which the device presents its whole chain,
/// against <c>openssl s_server -Verify 3 -verify_return_error</c> that trusts only the root.
/// </summary>
[Collection(TokenPeers.Name)]
public sealed class DoctorTlsProbeTests(TokenSimulators tokens)
{
    [Theory]
    [InlineData(TokenKind.Tpm, KeyAlgorithm.EcP256)]
    [InlineData(TokenKind.Tpm, KeyAlgorithm.Rsa2048)]
    [InlineData(TokenKind.SoftHsm, KeyAlgorithm.EcP384)]
    [InlineData(TokenKind.SoftHsm, KeyAlgorithm.Rsa3072)]
    public async Task Full_chain_handshake_passes_every_check(TokenKind kind, KeyAlgorithm algorithm)
    {
        using var device = DeviceUnderTest.Create(tokens.Get(kind), algorithm);
        await using var server = await OpenSslServer.StartAsync(device.Chain.Root);
        var trust = WriteServerTrust(device, server);

        var result = await AgentProcess.RunAsync(
            device.DoctorArguments("--trust", trust, "--tls-probe", $"localhost:{server.Port}", "--tls-probe-wait", "0.5"),
            device.Token.Environment);

        Assert.True(result.ExitCode == 0, result.Transcript);
        Assert.Contains("[ok     ] device key exists and never left the token", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("[ok     ] mutual-TLS handshake: Tls13", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("+ 1 intermediate, CertificateVerify signed by the device key", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("doctor: all checks passed", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("verify error", server.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TokenKind.Tpm)]
    [InlineData(TokenKind.SoftHsm)]
    public async Task Leaf_alone_is_refused_by_a_server_that_trusts_only_the_root(TokenKind kind)
    {
        using var device = DeviceUnderTest.Create(tokens.Get(kind));
        await using var server = await OpenSslServer.StartAsync(device.Chain.Root);
        var trust = WriteServerTrust(device, server);

        var result = await AgentProcess.RunAsync(
            device.DoctorArguments("--trust", trust, "--tls-probe", $"localhost:{server.Port}", "--send-leaf-only"),
            device.Token.Environment);

        Assert.True(result.ExitCode == 1, result.Transcript);
        Assert.Contains("[FAILED ] mutual-TLS handshake", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("TLS alert 'unknown ca'", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("send the intermediates", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("unable to get local issuer certificate", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_that_the_trust_bundle_does_not_vouch_for_is_refused()
    {
        using var device = DeviceUnderTest.Create(tokens.SoftHsm);
        await using var server = await OpenSslServer.StartAsync(device.Chain.Root);

        // Trust the device's own root instead of the server's certificate.
        var result = await AgentProcess.RunAsync(
            device.DoctorArguments("--trust", device.RootPath, "--tls-probe", $"localhost:{server.Port}"), device.Token.Environment);

        Assert.True(result.ExitCode == 1, result.Transcript);
        Assert.Contains("the server certificate \"CN=localhost\" is not trusted by trust bundle", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_report_lists_every_check_with_its_status()
    {
        using var device = DeviceUnderTest.Create(tokens.Tpm);
        await using var server = await OpenSslServer.StartAsync(device.Chain.Root);
        var trust = WriteServerTrust(device, server);

        var result = await AgentProcess.RunAsync(
            device.DoctorArguments("--trust", trust, "--tls-probe", $"localhost:{server.Port}", "--tls-probe-wait", "0.5", "--json"),
            device.Token.Environment);

        Assert.True(result.ExitCode == 0, result.Transcript);
        using var json = JsonDocument.Parse(result.StandardOutput);
        var checks = json.RootElement.GetProperty("checks").EnumerateArray()
            .Select(c => (Id: c.GetProperty("id").GetString(), Status: c.GetProperty("status").GetString())).ToList();
        Assert.Equal(["tpm", "tpm-attestation", "pkcs11-module", "token", "pin", "device-key", "chain", "tls-probe", "dps-endpoint", "assigned-hub"], checks.Select(c => c.Id));
        Assert.All(checks.Take(2), c => Assert.Equal("Skipped", c.Status)); // a PKCS#11 key, X.509 attestation
        Assert.All(checks.Skip(2).Take(6), c => Assert.Equal("Ok", c.Status));
        Assert.All(checks.Skip(8), c => Assert.Equal("Skipped", c.Status)); // they need --config
        Assert.True(json.RootElement.GetProperty("passed").GetBoolean());
    }

    private static string WriteServerTrust(DeviceUnderTest device, OpenSslServer server)
    {
        var path = Path.Combine(device.Directory, "server-trust.pem");
        File.WriteAllText(path, server.ServerCertificate.ExportCertificatePem());
        return path;
    }
}
