using DeviceAgent.Keys;
using DeviceAgent.TestPeers;
using DeviceAgent.Tests.Support;
using Xunit.Abstractions;

namespace DeviceAgent.Tests.Doctor;

/// <summary>
/// pkcs11-spy between the agent (our binding, also behind OpenSSL's key method) and the module: one TLS handshake
/// costs the token exactly one signature over a digest computed in software.
/// </summary>
[Collection(TokenPeers.Name)]
public sealed class TokenOperationCountTests(TokenSimulators tokens, ITestOutputHelper output)
{
    private static readonly string[] s_digestCalls = ["C_DigestInit", "C_Digest", "C_DigestUpdate", "C_DigestFinal", "C_DigestKey", "C_SignUpdate", "C_SignFinal"];

    [Theory]
    [InlineData(TokenKind.Tpm, KeyAlgorithm.EcP256)]
    [InlineData(TokenKind.SoftHsm, KeyAlgorithm.EcP256)]
    [InlineData(TokenKind.SoftHsm, KeyAlgorithm.Rsa2048)]
    public async Task One_handshake_is_exactly_one_token_signature_and_no_token_hashing(TokenKind kind, KeyAlgorithm algorithm)
    {
        using var device = DeviceUnderTest.Create(tokens.Get(kind), algorithm);
        await using var server = await OpenSslServer.StartAsync(device.Chain.Root);
        var trust = Path.Combine(device.Directory, "server-trust.pem");
        await File.WriteAllTextAsync(trust, server.ServerCertificate.ExportCertificatePem());

        var withoutProbe = await RunThroughSpy(device, "without-probe.log");
        var withProbe = await RunThroughSpy(device, "with-probe.log", "--trust", trust, "--tls-probe", $"localhost:{server.Port}", "--tls-probe-wait", "0.5");

        output.WriteLine($"{kind} {algorithm}: with probe " + string.Join(", ", withProbe.Where(c => c.Key.StartsWith("C_Sign", StringComparison.Ordinal) || c.Key.StartsWith("C_Digest", StringComparison.Ordinal)).Select(c => $"{c.Key}={c.Value}")));
        Assert.Equal(0, withoutProbe.GetValueOrDefault("C_SignInit"));
        Assert.Equal(1, withProbe.GetValueOrDefault("C_SignInit"));
        Assert.Equal(1, withProbe.GetValueOrDefault("C_Sign"));
        Assert.All(s_digestCalls, f => Assert.Equal(0, withProbe.GetValueOrDefault(f)));
    }

    private static async Task<Dictionary<string, int>> RunThroughSpy(DeviceUnderTest device, string logName, params string[] extra)
    {
        var log = Path.Combine(device.Directory, logName);
        var environment = new Dictionary<string, string>(device.Token.Environment);
        foreach (var (name, value) in Pkcs11Spy.Environment(device.Token.ModulePath, log))
            environment[name] = value;
        var arguments = device.DoctorArguments(extra);
        arguments[Array.IndexOf(arguments, "--module") + 1] = Pkcs11Spy.ModulePath;

        var result = await AgentProcess.RunAsync(arguments, environment);

        Assert.True(result.ExitCode == 0, result.Transcript);
        return Pkcs11Spy.CountCalls(await File.ReadAllTextAsync(log));
    }
}
