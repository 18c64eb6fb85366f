using DeviceAgent.TestPeers;
using Factory.Tests.Support;

namespace Factory.Tests.Fvt;

/// <summary>
/// Real-peer tier: proof-of-possession certificates from CA keys in SoftHSM2 and in an encrypted
/// file are accepted by openssl verify against the CA certificate; one signed by another key under
/// the same CA name is not.
/// </summary>
[Collection(FactoryPeers.Name)]
public sealed class ProveTests(TokenSimulators tokens)
{
    private const string Code = "E6A1C3D9F0B24C5E8A7D6B3C2F1E0D9C8B7A6F5E4D3C2B1A";

    [Fact]
    public async Task Verification_certificates_are_signed_by_the_CA_key_wherever_it_lives_and_another_key_fails()
    {
        using var workspace = new Workspace(tokens);
        await Bringup.SucceedsAsync(workspace, ["ca", "create-root", "--name", "root", "--subject", "CN=PoP Root CA", .. workspace.HsmKey("pop-root")]);
        await Bringup.SucceedsAsync(workspace, ["ca", "create-intermediate", "--name", "line", "--issuer", "root", "--subject", "CN=PoP Line CA", .. workspace.FileKey()]);

        var fromHsm = await Bringup.SucceedsAsync(workspace, ["ca", "prove", "--ca", "root", "--code", Code, "--out", "verify-root.pem"]);
        var fromFile = await Bringup.SucceedsAsync(workspace, ["ca", "prove", "--ca", "line", "--code", Code.ToLowerInvariant(), "--out", "verify-line.pem"]);

        Assert.Contains($"CN={Code}", fromHsm.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("upload it to DPS", fromFile.StandardOutput, StringComparison.Ordinal);
        using (var certificate = Pem.Certificate(workspace.In("verify-root.pem")))
        {
            Assert.Equal($"CN={Code}", certificate.Subject);
            Assert.Equal("CN=PoP Root CA", certificate.Issuer);
            Assert.InRange((certificate.NotAfter - certificate.NotBefore).TotalHours, 24, 24.1);
        }
        var root = await Openssl.RunAsync(workspace, "verify", "-CAfile", "ca/root/certificate.pem", "verify-root.pem");
        Assert.True(root.ExitCode == 0, root.Transcript);
        var line = await Openssl.RunAsync(workspace, "verify", "-partial_chain", "-CAfile", "ca/line/certificate.pem", "verify-line.pem");
        Assert.True(line.ExitCode == 0, line.Transcript);

        // Someone who only has the CA's certificate makes a CA of the same name with their own key: the proof fails.
        using var impostor = new Workspace(tokens);
        await Bringup.SucceedsAsync(impostor, ["ca", "create-root", "--name", "root", "--subject", "CN=PoP Root CA", .. impostor.HsmKey("impostor")]);
        await Bringup.SucceedsAsync(impostor, ["ca", "prove", "--ca", "root", "--code", Code, "--out", workspace.In("forged.pem")]);
        var forged = await Openssl.RunAsync(workspace, "verify", "-CAfile", "ca/root/certificate.pem", "forged.pem");
        Assert.True(forged.ExitCode != 0, forged.Transcript);
        Assert.Contains("verification failed", forged.StandardOutput + forged.StandardError, StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"verification\"", File.ReadAllText(workspace.In("ca", "root", "issued.jsonl")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("has spaces", "has characters other than letters, digits and '-'")]
    [InlineData("", "the verification code is empty")]
    public async Task A_code_that_cannot_be_a_CN_is_a_usage_error(string code, string expected)
    {
        using var workspace = new Workspace(tokens);

        var result = await Bringup.RunAsync(workspace, "ca", "prove", "--ca", "root", "--code", code, "--out", "verify.pem");

        Assert.True(result.ExitCode == 2, result.Transcript);
        Assert.Contains(expected, result.StandardError, StringComparison.Ordinal);
        Assert.Contains("hint: ", result.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(workspace.In("verify.pem")));
    }
}
