using System.Security.Cryptography;
using DeviceAgent.TestPeers;
using DeviceAgent.Tests.Support;

namespace DeviceAgent.Tests.Doctor;

/// <summary>Bad input gives its specific error, names where it is, and says what to do.</summary>
[Collection(TokenPeers.Name)]
public sealed class DoctorBadInputTests(TokenSimulators tokens)
{
    [Theory]
    [InlineData(TokenKind.Tpm)]
    [InlineData(TokenKind.SoftHsm)]
    public async Task Wrong_pin_fails_the_pin_check_and_skips_what_depends_on_it(TokenKind kind)
    {
        using var device = DeviceUnderTest.Create(tokens.Get(kind));
        var wrongPin = Path.Combine(device.Directory, "wrong.pin");
        await File.WriteAllTextAsync(wrongPin, "definitely-wrong\n");
        var arguments = device.DoctorArguments();
        arguments[Array.IndexOf(arguments, "--pin-file") + 1] = wrongPin;

        var result = await AgentProcess.RunAsync(arguments, device.Token.Environment);

        Assert.True(result.ExitCode == 1, result.Transcript);
        Assert.Contains("[FAILED ] PIN works: C_Login failed: CKR_PIN_INCORRECT", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("[skipped] device key exists and never left the token: not run: the check \"PIN works\" did not pass", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("definitely-wrong", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_module_says_what_to_install()
    {
        using var device = DeviceUnderTest.Create(tokens.SoftHsm);
        var arguments = device.DoctorArguments();
        arguments[Array.IndexOf(arguments, "--module") + 1] = "/usr/lib/nowhere/libtpm2_pkcs11.so";

        var result = await AgentProcess.RunAsync(arguments, device.Token.Environment);

        Assert.True(result.ExitCode == 1, result.Transcript);
        Assert.Contains("[FAILED ] PKCS#11 module loads: PKCS#11 module '/usr/lib/nowhere/libtpm2_pkcs11.so' does not exist; install it", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_TPM_that_is_not_there_fails_the_module_check_with_the_likely_causes()
    {
        using var device = DeviceUnderTest.Create(tokens.Tpm);
        var environment = new Dictionary<string, string>(device.Token.Environment)
        {
            // A resource manager that does not exist on the bus: as on a board whose TPM is not up.
            ["TPM2_PKCS11_TCTI"] = "tabrmd:bus_type=session,bus_name=com.intel.tss2.Tabrmd.absent",
        };

        var result = await AgentProcess.RunAsync(device.DoctorArguments(), environment);

        Assert.True(result.ExitCode == 1, result.Transcript);
        Assert.Contains("[FAILED ] PKCS#11 module loads: C_Initialize failed: CKR_GENERAL_ERROR", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("the TPM is unreachable", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_token_names_the_tokens_present()
    {
        using var device = DeviceUnderTest.Create(tokens.SoftHsm);
        var arguments = device.DoctorArguments();
        arguments[Array.IndexOf(arguments, "--key") + 1] = "pkcs11:token=no-such-token;object=device-key";

        var result = await AgentProcess.RunAsync(arguments, device.Token.Environment);

        Assert.True(result.ExitCode == 1, result.Transcript);
        Assert.Contains("[FAILED ] token is present: no token matches token='no-such-token'", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"tokens present: '{device.Token.TokenLabel}'", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chain_in_the_wrong_order_says_which_order_is_right()
    {
        using var device = DeviceUnderTest.Create(tokens.SoftHsm);
        using var leaf = device.Chain.IssueLeaf(device.PublicKey.SubjectPublicKeyInfo.Span, "device-1");
        device.WriteChain(device.Chain.Intermediate, leaf);

        var result = await AgentProcess.RunAsync(device.DoctorArguments(), device.Token.Environment);

        Assert.True(result.ExitCode == 1, result.Transcript);
        Assert.Contains("[FAILED ] chain bundle is valid and matches the key", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("the bundle is not in order: leaf first", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chain_whose_leaf_does_not_match_the_key_is_refused()
    {
        using var device = DeviceUnderTest.Create(tokens.SoftHsm);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var leaf = device.Chain.IssueLeaf(other.ExportSubjectPublicKeyInfo(), "someone-else");
        device.WriteChain(leaf, device.Chain.Intermediate);

        var result = await AgentProcess.RunAsync(device.DoctorArguments(), device.Token.Environment);

        Assert.True(result.ExitCode == 1, result.Transcript);
        Assert.Contains("[LeafKeyMatch:", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("\"CN=someone-else\"", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Expired_intermediate_is_named()
    {
        using var expired = TestChain.Create("Expired", intermediateLifetime: TimeSpan.FromDays(1), intermediateNotBefore: DateTimeOffset.UtcNow.AddDays(-10));
        using var device = DeviceUnderTest.Create(tokens.SoftHsm, chain: null);
        using var leaf = expired.IssueLeaf(device.PublicKey.SubjectPublicKeyInfo.Span, "device-1");
        device.WriteChain(leaf, expired.Intermediate);

        var result = await AgentProcess.RunAsync(device.DoctorArguments(), device.Token.Environment);

        Assert.True(result.ExitCode == 1, result.Transcript);
        Assert.Contains("(intermediate) \"CN=Expired Intermediate CA\"", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("[Expired: RFC 5280 4.1.2.5 validity]", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Leaf_without_clientAuth_is_refused()
    {
        using var device = DeviceUnderTest.Create(tokens.SoftHsm);
        using var leaf = device.Chain.IssueLeaf(device.PublicKey.SubjectPublicKeyInfo.Span, "server-only", clientAuth: false);
        device.WriteChain(leaf, device.Chain.Intermediate);

        var result = await AgentProcess.RunAsync(device.DoctorArguments(), device.Token.Environment);

        Assert.True(result.ExitCode == 1, result.Transcript);
        Assert.Contains("[LeafClientAuth:", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_chain_file_is_named()
    {
        using var device = DeviceUnderTest.Create(tokens.SoftHsm);
        File.Delete(device.ChainPath);

        var result = await AgentProcess.RunAsync(device.DoctorArguments(), device.Token.Environment);

        Assert.True(result.ExitCode == 1, result.Transcript);
        Assert.Contains($"[FAILED ] chain bundle is valid and matches the key: chain bundle '{device.ChainPath}'", result.StandardOutput, StringComparison.Ordinal);
    }
}
