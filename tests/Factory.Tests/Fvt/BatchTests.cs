using System.Text.Json;
using DeviceAgent.TestPeers;
using Factory.Tests.Support;

namespace Factory.Tests.Fvt;

/// <summary>Real-peer tier: a line run with device keys generated in the TPM, resumed after an interruption, and one fed by requests.</summary>
[Collection(FactoryPeers.Name)]
public sealed class BatchTests(TokenSimulators tokens)
{
    [Fact]
    public async Task A_line_run_issues_every_device_and_a_rerun_resumes_where_it_stopped()
    {
        using var workspace = new Workspace(tokens);
        await Bringup.SucceedsAsync(workspace, ["ca", "create-root", "--name", "root", "--subject", "CN=Line Root", "--path-length", "0", .. workspace.HsmKey("line-root")]);
        string[] batch = ["device", "batch", "--issuer", "root", "--count", "3", "--out", "line", .. workspace.TpmKeyTemplate()];

        var first = await Bringup.SucceedsAsync(workspace, batch);

        Assert.Contains("3 devices: 3 issued, 0 reissued, 0 already done, 0 failed", first.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("│ device-0002     │ issued", first.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("average per issued device: key ", first.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("bringup: 3/3 devices", first.StandardError, StringComparison.Ordinal);
        foreach (var device in new[] { "device-0001", "device-0002", "device-0003" })
        {
            var (leaf, intermediates) = Pem.Split(workspace.In("line", device, "chain.pem"));
            var verify = await Openssl.VerifyChainAsync(workspace, workspace.In("line", device, "root.pem"), intermediates, leaf);
            Assert.True(verify.ExitCode == 0, verify.Transcript);
        }

        // As if the run had died after logging device-0002 and before writing it.
        File.Delete(workspace.In("line", "device-0002", "chain.pem"));
        File.Delete(workspace.In("line", "device-0002", "root.pem"));
        var resumed = await Bringup.SucceedsAsync(workspace, [.. batch, "--json"]);

        using var json = JsonDocument.Parse(resumed.StandardOutput);
        var result = json.RootElement;
        Assert.True(result.GetProperty("ok").GetBoolean());
        Assert.Equal(1, result.GetProperty("reissued").GetInt32());
        Assert.Equal(2, result.GetProperty("alreadyDone").GetInt32());
        var device2 = result.GetProperty("devices").EnumerateArray().Single(d => d.GetProperty("registrationId").GetString() == "device-0002");
        Assert.Equal("reissued", device2.GetProperty("outcome").GetString());
        Assert.True(device2.GetProperty("keyExisted").GetBoolean(), "the key the interrupted run generated is reused");
        Assert.True(File.Exists(workspace.In("line", "device-0002", "chain.pem")));

        var again = await Bringup.SucceedsAsync(workspace, batch);
        Assert.Contains("3 devices: 0 issued, 0 reissued, 3 already done, 0 failed", again.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_csv_run_issues_from_requests_and_refuses_ids_another_run_already_has()
    {
        using var workspace = new Workspace(tokens);
        await Bringup.SucceedsAsync(workspace, ["ca", "create-root", "--name", "root", "--subject", "CN=Csv Root", .. workspace.HsmKey("csv-root")]);
        await Requests.CreateAsync(workspace, "unit-a", "unit-a");
        await Requests.CreateAsync(workspace, "unit-b", "unit-b");
        workspace.File("line.csv", "# station 4\nregistration-id,csr\nunit-a,unit-a.csr\nunit-b,unit-b.csr\n");

        var result = await Bringup.SucceedsAsync(workspace, ["device", "batch", "--issuer", "root", "--csv", "line.csv", "--out", "line", "--json"]);

        using (var json = JsonDocument.Parse(result.StandardOutput))
            Assert.Equal(2, json.RootElement.GetProperty("issued").GetInt32());
        using (var chain = Pem.Chain(workspace.In("line", "unit-b", "chain.pem")))
            Assert.Equal("CN=unit-b", chain.Leaf.Subject);

        workspace.File("next.csv", "unit-c\nUNIT-A\n");
        var next = await Bringup.RunAsync(workspace, ["device", "batch", "--issuer", "root", "--csv", "next.csv", "--out", "elsewhere", .. workspace.TpmKeyTemplate()]);
        Assert.True(next.ExitCode == 1, next.Transcript);
        Assert.Contains("1 registration id(s) of this batch already have certificates; nothing was issued", next.StandardError, StringComparison.Ordinal);
        Assert.Empty(workspace.FilesUnder("elsewhere"));
    }
}
