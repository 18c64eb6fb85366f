using System.Text.Json;
using System.Text.Json.Nodes;
using DeviceAgent.TestPeers;
using DeviceAgent.Tests.Support;
using ProvisioningEndpoint.Tests.Support;

namespace DeviceAgent.Tests.EndToEnd;

/// <summary>
/// `deviceagent provision` and `deviceagent run` against the real endpoint process through a
/// <see cref="FaultProxy"/> in front of its DPS or hub listener: slow links, connections reset in
/// the middle of the TLS handshake, half-open links and peers that read nothing are detected within
/// the agent's timeouts (the hub's: its keep-alive), reported, retried, and recovered from once the
/// fault clears.
/// </summary>
[Collection(TokenPeers.Name)]
public sealed class AgentThroughFaultsTests(TokenSimulators tokens) : IAsyncLifetime
{
    private EndpointProcess _endpoint = null!;

    public async Task InitializeAsync() => _endpoint = await EndpointProcess.StartAsync();

    public async Task DisposeAsync() => await _endpoint.DisposeAsync();

    [Fact]
    public async Task Provisions_through_a_link_that_delays_every_chunk()
    {
        await using var proxy = Proxy();
        proxy.Latency = TimeSpan.FromMilliseconds(150);
        using var device = await EnrolledDeviceAsync();

        var result = await ProvisionAsync(device, proxy);

        Assert.True(result.ExitCode == 0, result.Transcript);
        Assert.Equal("assigned", JsonDocument.Parse(result.StandardOutput).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Retries_connections_reset_in_the_middle_of_the_TLS_handshake_and_says_why()
    {
        await using var proxy = Proxy(ProxyFault.ResetMidHandshake, faultCount: 2);
        using var device = await EnrolledDeviceAsync();

        var result = await ProvisionAsync(device, proxy, json: false);

        Assert.True(result.ExitCode == 0, result.Transcript);
        Assert.Equal(2, proxy.Faulted);
        Assert.True(proxy.Accepted >= 3, $"{proxy.Accepted} connections");
        Assert.Contains("transient failure (TLS handshake with localhost:", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("retry 2/5", result.StandardError, StringComparison.Ordinal);
        Assert.NotNull(await _endpoint.Store.GetRegistrationAsync(device.Key.Pkcs11!.ObjectLabel!));
    }

    [Fact]
    public async Task Provisioning_gives_up_on_a_half_open_connection_within_its_response_timeout_and_retries()
    {
        await using var proxy = Proxy(ProxyFault.HalfOpen, faultCount: 1);
        using var device = await EnrolledDeviceAsync();

        var result = await ProvisionAsync(device, proxy, json: false);

        Assert.True(result.ExitCode == 0, result.Transcript);
        Assert.Equal(1, proxy.Faulted);
        Assert.Contains("transient failure", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("retry 1/5", result.StandardError, StringComparison.Ordinal);
        Assert.NotNull(await _endpoint.Store.GetRegistrationAsync(device.Key.Pkcs11!.ObjectLabel!));
    }

    [Theory]
    [InlineData(ProxyFault.HalfOpen)]
    [InlineData(ProxyFault.SilentReader)]
    public async Task Run_detects_a_hub_link_gone_silent_within_its_keep_alive_and_resumes_telemetry_when_it_clears(ProxyFault fault)
    {
        const int KeepAliveSeconds = 5;
        await using var hub = new FaultProxy("localhost", _endpoint.HubPort);
        using var device = await EnrolledDeviceAsync();
        var registrationId = device.Key.Pkcs11!.ObjectLabel!;
        var config = await ConfigThroughHubProxyAsync(device, hub, KeepAliveSeconds);
        await using var agent = AgentDaemon.Start(config, device.Token.Environment);
        await WaitForTelemetryAsync(agent, registrationId, 2, TimeSpan.FromSeconds(60));

        // The connection in use goes silent, and so does the next one the agent opens.
        hub.FaultCount = 1;
        hub.Fault = fault;
        var accepted = hub.Accepted;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(1, hub.Break(fault));
        await WaitUntilAsync(() => hub.Accepted > accepted, TimeSpan.FromSeconds(30), agent, "the agent never gave up on the silent connection");
        var detected = watch.Elapsed;
        await WaitUntilAsync(() => hub.Faulted == 1 && hub.Accepted > accepted + 1, TimeSpan.FromSeconds(40), agent,
            "the agent never gave up on the silent new connection");
        var before = (await _endpoint.Store.ListTelemetryAsync("hub1", registrationId, 10_000)).Count;
        await WaitForTelemetryAsync(agent, registrationId, before + 2, TimeSpan.FromSeconds(40));

        // A telemetry message each second: its PUBACK is missed half a keep-alive later (1.5 x keep-alive
        // bounds it with no traffic); slack for a loaded machine.
        Assert.True(detected < TimeSpan.FromSeconds(KeepAliveSeconds * 1.5 + 8), $"detected after {detected.TotalSeconds:0.0} s\n{agent.Output}");
        Assert.True(agent.Output.Contains($"hub localhost:{hub.Port}: telemetry not acknowledged: the connection was lost: the server did not answer within 2.5 s (half the keep-alive): the link is silent", StringComparison.Ordinal), agent.Output);
        Assert.True(agent.Output.Contains($"did not complete TLS and MQTT CONNECT within {KeepAliveSeconds} s", StringComparison.Ordinal), agent.Output);
        Assert.False(agent.Process.HasExited, agent.Output);
        var (exitCode, _) = await agent.StopAsync();
        Assert.True(exitCode == 0, agent.Output);
    }

    private FaultProxy Proxy(ProxyFault fault = ProxyFault.None, int faultCount = int.MaxValue)
    {
        var port = int.Parse(_endpoint.DeviceEndpoint[(_endpoint.DeviceEndpoint.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        return new FaultProxy("localhost", port, fault, faultCount);
    }

    // Provisions directly, then points the saved assignment at the proxy: `run` connects straight to the hub through it.
    private async Task<string> ConfigThroughHubProxyAsync(DeviceUnderTest device, FaultProxy hub, int keepAliveSeconds)
    {
        var path = AgentConfigFile.Write(device, _endpoint, Path.Combine(device.Directory, "state"));
        var config = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        config["hub"]!["keepAliveSeconds"] = keepAliveSeconds;
        await File.WriteAllTextAsync(path, config.ToJsonString());
        var provision = await AgentProcess.RunAsync(["provision", "--config", path], device.Token.Environment);
        Assert.True(provision.ExitCode == 0, provision.Transcript);
        var statePath = Path.Combine(device.Directory, "state", "state.json");
        var state = JsonNode.Parse(await File.ReadAllTextAsync(statePath))!;
        state["assignedHub"] = $"localhost:{hub.Port}";
        await File.WriteAllTextAsync(statePath, state.ToJsonString());
        return path;
    }

    private async Task WaitForTelemetryAsync(AgentDaemon agent, string deviceId, int count, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while ((await _endpoint.Store.ListTelemetryAsync("hub1", deviceId, 10_000)).Count < count)
        {
            Assert.False(agent.Process.HasExited, $"the agent exited:\n{agent.Output}");
            Assert.True(DateTime.UtcNow < deadline, $"fewer than {count} telemetry messages within {patience.TotalSeconds:0} s:\n{agent.Output}\n--- endpoint\n{_endpoint.Output}");
            await Task.Delay(200);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan patience, AgentDaemon agent, string failure)
    {
        var deadline = DateTime.UtcNow + patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"{failure} within {patience.TotalSeconds:0} s:\n{agent.Output}");
            await Task.Delay(100);
        }
    }

    private async Task<DeviceUnderTest> EnrolledDeviceAsync()
    {
        var device = DeviceUnderTest.Create(tokens.SoftHsm);
        await _endpoint.Store.UploadCaAsync($"root-{Guid.NewGuid():N}", device.Chain.Root, verified: true);
        await _endpoint.Store.PutGroupAsync($"group-{Guid.NewGuid():N}", device.Chain.Intermediate);
        return device;
    }

    private async Task<ProcessResult> ProvisionAsync(DeviceUnderTest device, FaultProxy proxy, bool json = true)
    {
        var path = AgentConfigFile.Write(device, _endpoint, Path.Combine(device.Directory, "state"));
        var config = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        config["provisioning"]!["endpoint"] = $"localhost:{proxy.Port}";
        await File.WriteAllTextAsync(path, config.ToJsonString());
        return await AgentProcess.RunAsync(json ? ["provision", "--config", path, "--json"] : ["provision", "--config", path], device.Token.Environment);
    }
}
