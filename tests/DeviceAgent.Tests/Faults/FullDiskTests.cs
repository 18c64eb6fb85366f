using System.Text.Json;
using DeviceAgent.TestPeers;
using DeviceAgent.Tests.Support;
using Microsoft.Data.Sqlite;
using ProvisioningEndpoint.Tests.Support;

namespace DeviceAgent.Tests.Faults;

/// <summary>
/// A full disk under the agent's state directory and under the endpoint's database (a small tmpfs
/// each, filled to the last byte): a clear error, nothing corrupted (the previous state file; a
/// database whose integrity check passes, holding every registration it acknowledged), and
/// recovery once space returns, without a restart.
/// </summary>
[Collection(TokenPeers.Name)]
public sealed class FullDiskTests(TokenSimulators tokens)
{
    [Fact]
    public async Task Agent_with_a_full_state_disk_keeps_its_previous_state_says_so_and_recovers_when_space_returns()
    {
        using var disk = await SmallTmpfs.MountAsync(1024 * 1024);
        await using var endpoint = await EndpointProcess.StartAsync();
        using var device = DeviceUnderTest.Create(tokens.SoftHsm);
        await endpoint.Store.UploadCaAsync($"root-{Guid.NewGuid():N}", device.Chain.Root, verified: true);
        await endpoint.Store.PutGroupAsync($"group-{Guid.NewGuid():N}", device.Chain.Intermediate);
        var registrationId = device.Key.Pkcs11!.ObjectLabel!;
        var stateDirectory = Path.Combine(disk.Path, "state");
        var config = AgentConfigFile.Write(device, endpoint, stateDirectory);
        var provision = await AgentProcess.RunAsync(["provision", "--config", config], device.Token.Environment);
        Assert.True(provision.ExitCode == 0, provision.Transcript);
        var statePath = Path.Combine(stateDirectory, "state.json");
        var saved = await File.ReadAllBytesAsync(statePath);

        // The hub forgets the device while the disk is full: the agent must provision again and save the new assignment.
        disk.Fill();
        await endpoint.Store.DeleteHubDeviceAsync("hub1", registrationId, null);
        await using var agent = AgentDaemon.Start(config, device.Token.Environment);
        await Until(() => agent.Output.Contains("cannot save the agent state", StringComparison.Ordinal), agent, TimeSpan.FromSeconds(60));

        Assert.Contains($"the file system of '{stateDirectory}' is full; the previous state file is kept; free space there", agent.Output, StringComparison.Ordinal);
        Assert.Equal(saved, await File.ReadAllBytesAsync(statePath));
        Assert.Equal(["state.json"], Directory.GetFiles(stateDirectory).Select(Path.GetFileName));
        Assert.False(agent.Process.HasExited, agent.Output);

        disk.Free();
        await Until(() => endpoint.Store.ListTelemetryAsync("hub1", registrationId, 10).Result.Count > 0, agent, TimeSpan.FromSeconds(60));
        using (var state = JsonDocument.Parse(await File.ReadAllBytesAsync(statePath)))
            Assert.Equal(registrationId, state.RootElement.GetProperty("deviceId").GetString());
        Assert.NotEqual(saved, await File.ReadAllBytesAsync(statePath));
        var (exitCode, _) = await agent.StopAsync();
        Assert.True(exitCode == 0, agent.Output);
    }

    [Fact]
    public async Task Endpoint_with_a_full_database_disk_answers_500_loses_nothing_acknowledged_and_serves_again_when_space_returns()
    {
        using var disk = await SmallTmpfs.MountAsync(32 * 1024 * 1024);
        var data = Path.Combine(disk.Path, "endpoint");
        var endpoint = await EndpointProcess.StartAsync(data);
        try
        {
            using var fleet = await SoftwareFleet.EnrollAsync(endpoint);
            for (var i = 0; i < 3; i++)
                Assert.True(await fleet.RegisterOneAsync(endpoint), string.Join("\n", fleet.Failures));

            disk.Fill();
            var refused = false;
            for (var i = 0; i < 60 && !refused; i++)
                refused = !await fleet.RegisterOneAsync(endpoint);

            Assert.True(refused, $"every registration succeeded on a full disk\n{endpoint.Output}");
            Assert.Contains("the store failed, the device is answered 500", endpoint.Output, StringComparison.Ordinal);
            Assert.Contains("full", endpoint.Output, StringComparison.OrdinalIgnoreCase);
            Assert.Contains(fleet.Failures, f => f.Contains("could not store the registration; retry later", StringComparison.Ordinal));
            Assert.False(endpoint.HasExited, endpoint.Output);

            disk.Free();
            Assert.True(await fleet.RegisterOneAsync(endpoint), $"{string.Join("\n", fleet.Failures)}\n{endpoint.Output}");
            await endpoint.KillAsync(); // nothing flushed on the way out: what is on disk is what was committed
            SqliteConnection.ClearAllPools();
            Assert.Equal("ok", IntegrityCheck(Path.Combine(data, "endpoint.db")));
            await endpoint.StartAgainAsync();
            await fleet.AssertNoneLostAsync(endpoint.Store);
        }
        finally
        {
            await endpoint.DisposeAsync();
        }
    }

    internal static string IntegrityCheck(string database)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        return (string)command.ExecuteScalar()!;
    }

    private static async Task Until(Func<bool> condition, AgentDaemon agent, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (!condition())
        {
            Assert.False(agent.Process.HasExited, $"the agent exited:\n{agent.Output}");
            Assert.True(DateTime.UtcNow < deadline, $"not within {patience.TotalSeconds:0} s:\n{agent.Output}");
            await Task.Delay(200);
        }
    }
}
