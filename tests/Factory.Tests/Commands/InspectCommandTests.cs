using System.Text.Json;
using DeviceAgent.TestPeers;
using Factory.Tests.Support;

namespace Factory.Tests.Commands;

[Collection(FactoryPeers.Name)]
public sealed class InspectCommandTests(TokenSimulators tokens)
{
    [Fact]
    public async Task A_device_chain_shows_as_a_tree_from_the_root_with_DPS_thumbprints_and_passing_checks()
    {
        using var workspace = new Workspace(tokens);
        await Identity(workspace);

        var text = await Bringup.RunAsync(workspace, "inspect", "out/device-1/chain.pem");
        var json = await Bringup.RunAsync(workspace, "inspect", "out/device-1/chain.pem", "--json");

        Assert.True(text.ExitCode == 0, text.Transcript);
        using var leaf = Pem.Chain(workspace.In("out", "device-1", "chain.pem"));
        var lines = text.StandardOutput.Split('\n');
        var rootLine = Array.FindIndex(lines, l => l.StartsWith("CN=Inspect Root  [root (trust anchor, not in the bundle), CA", StringComparison.Ordinal));
        var lineLine = Array.FindIndex(lines, l => l.StartsWith("   └─ CN=Inspect Line  [intermediate (#2 in the bundle), CA, pathLen 0]", StringComparison.Ordinal));
        var leafLine = Array.FindIndex(lines, l => l.StartsWith("      └─ CN=device-1  [leaf (#1 in the bundle)]", StringComparison.Ordinal));
        Assert.True(rootLine >= 0 && rootLine < lineLine && lineLine < leafLine, text.StandardOutput);
        Assert.Contains($"SHA-1    {leaf.Leaf.Thumbprint}  (as DPS shows it)", text.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("usage    digitalSignature; EKU clientAuth", text.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("key      EC P-256", text.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("[pass] trust: the chain builds to the trust anchor \"CN=Inspect Root\"", text.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("all checks passed", text.StandardOutput, StringComparison.Ordinal);

        Assert.True(json.ExitCode == 0, json.Transcript);
        using var document = JsonDocument.Parse(json.StandardOutput);
        Assert.True(document.RootElement.GetProperty("ok").GetBoolean());
        var certificates = document.RootElement.GetProperty("certificates").EnumerateArray().ToList();
        Assert.Equal(["leaf", "intermediate"], certificates.Select(c => c.GetProperty("role").GetString()));
        Assert.Equal(leaf.Leaf.Thumbprint, certificates[0].GetProperty("details").GetProperty("thumbprint").GetString());
        Assert.Contains(document.RootElement.GetProperty("checks").EnumerateArray(),
            c => c.GetProperty("name").GetString() == "trust" && c.GetProperty("status").GetString() == "passed");
    }

    [Fact]
    public async Task A_bundle_in_the_wrong_order_fails_its_order_check()
    {
        using var workspace = new Workspace(tokens);
        await Identity(workspace);
        var chain = File.ReadAllText(workspace.In("out", "device-1", "chain.pem"));
        var blocks = chain.Split("-----END CERTIFICATE-----", StringSplitOptions.RemoveEmptyEntries).Where(b => b.Contains("BEGIN", StringComparison.Ordinal))
            .Select(b => b.Trim() + "\n-----END CERTIFICATE-----\n").ToList();
        workspace.File("reversed.pem", blocks[1] + blocks[0]);

        var result = await Bringup.RunAsync(workspace, "inspect", "reversed.pem", "--root", "out/device-1/root.pem");

        Assert.True(result.ExitCode == 1, result.Transcript);
        Assert.Contains("[FAIL] order: ", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("some checks failed", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_file_is_a_usage_error()
    {
        using var workspace = new Workspace(tokens);

        var result = await Bringup.RunAsync(workspace, "inspect", "nothing.pem");

        Assert.True(result.ExitCode == 2, result.Transcript);
        Assert.Contains("bringup: error: chain bundle 'nothing.pem': the file does not exist", result.StandardError, StringComparison.Ordinal);
    }

    private static async Task Identity(Workspace workspace)
    {
        foreach (var arguments in new[]
        {
            (string[])["ca", "create-root", "--name", "root", "--subject", "CN=Inspect Root", .. workspace.HsmKey("inspect-root")],
            ["ca", "create-intermediate", "--name", "line", "--issuer", "root", "--subject", "CN=Inspect Line", .. workspace.HsmKey("inspect-line")],
            ["device", "issue", "--csr", await Requests.CreateAsync(workspace, "device-1", "device-1"), "--issuer", "line", "--out", "out/device-1"],
        })
        {
            var result = await Bringup.RunAsync(workspace, arguments);
            Assert.True(result.ExitCode == 0, result.Transcript);
        }
    }
}
