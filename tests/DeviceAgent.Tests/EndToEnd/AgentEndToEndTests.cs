using System.Text.Json;
using DeviceAgent.TestPeers;
using DeviceAgent.Tests.Support;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Tests.Support;

namespace DeviceAgent.Tests.EndToEnd;

/// <summary>
/// The product as a device runs it: `deviceagent provision` and `deviceagent run` against a
/// `provisioning-endpoint` process, the device key in swtpm or SoftHSM2, shutdown by SIGTERM.
/// </summary>
[Collection(TokenPeers.Name)]
public sealed class AgentEndToEndTests(TokenSimulators tokens) : IAsyncLifetime
{
    private EndpointProcess _endpoint = null!;

    public async Task InitializeAsync() => _endpoint = await EndpointProcess.StartAsync();

    public async Task DisposeAsync() => await _endpoint.DisposeAsync();

    [Theory]
    [InlineData(TokenKind.Tpm)]
    [InlineData(TokenKind.SoftHsm)]
    public async Task Provisions_connects_restarts_without_registering_and_reprovisions_when_the_hub_forgets_it(TokenKind kind)
    {
        using var device = DeviceUnderTest.Create(tokens.Get(kind));
        await EnrollAsync(device);
        var config = AgentConfigFile.Write(device, _endpoint, Path.Combine(device.Directory, "state"));
        var registrationId = device.Key.Pkcs11!.ObjectLabel!;

        // 1. provision once: assigned, state saved.
        var provision = await AgentProcess.RunAsync(["provision", "--config", config, "--json"], device.Token.Environment);
        Assert.True(provision.ExitCode == 0, provision.Transcript);
        using (var outcome = JsonDocument.Parse(provision.StandardOutput))
        {
            Assert.Equal("assigned", outcome.RootElement.GetProperty("status").GetString());
            Assert.Equal($"localhost:{_endpoint.HubPort}", outcome.RootElement.GetProperty("assignedHub").GetString());
            Assert.Equal(registrationId, outcome.RootElement.GetProperty("deviceId").GetString());
        }
        var firstOperation = (await _endpoint.Store.GetRegistrationAsync(registrationId))!.OperationId;

        // 2. run: straight to the hub with the saved state (no registration), telemetry arrives, SIGTERM stops it cleanly.
        await RunUntilTelemetryAsync(device, config, atLeast: 2);
        Assert.Equal(firstOperation, (await _endpoint.Store.GetRegistrationAsync(registrationId))!.OperationId);

        // 3. the hub forgets the device (an operator deleted it): the agent is refused, provisions again, and is recreated.
        Assert.True(await _endpoint.Store.DeleteHubDeviceAsync("hub1", registrationId, null));
        var output = await RunUntilTelemetryAsync(device, config, atLeast: 1);
        Assert.Contains("refused device", output, StringComparison.Ordinal);
        Assert.Contains("provisioning again", output, StringComparison.Ordinal);
        Assert.NotEqual(firstOperation, (await _endpoint.Store.GetRegistrationAsync(registrationId))!.OperationId);
        Assert.NotNull(await _endpoint.Store.GetHubDeviceAsync("hub1", registrationId));
    }

    [Fact]
    public async Task A_device_without_enrollment_is_refused_with_DPS_error_and_likely_cause()
    {
        using var device = DeviceUnderTest.Create(tokens.SoftHsm);
        await _endpoint.Store.UploadCaAsync("root", device.Chain.Root, verified: true); // verified CA, but no enrollment
        var config = AgentConfigFile.Write(device, _endpoint, Path.Combine(device.Directory, "state"));

        var result = await AgentProcess.RunAsync(["provision", "--config", config, "--json"], device.Token.Environment);

        Assert.True(result.ExitCode == 1, result.Transcript);
        using var outcome = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal("refused", outcome.RootElement.GetProperty("status").GetString());
        Assert.Equal(401002, outcome.RootElement.GetProperty("errorCode").GetInt32());
        Assert.Contains("no enrollment found", outcome.RootElement.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.Contains("no enrollment may match the device", outcome.RootElement.GetProperty("likelyCause").GetString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(device.Directory, "state", "state.json")));
    }

    [Fact]
    public void The_endpoint_service_never_prints_its_owner_key_where_the_journal_would_keep_it()
    {
        Assert.Contains("the owner connection string is in", _endpoint.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("SharedAccessKey=", _endpoint.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SIGTERM_while_the_daemon_waits_after_a_refusal_is_a_clean_stop()
    {
        using var device = DeviceUnderTest.Create(tokens.SoftHsm);
        await _endpoint.Store.UploadCaAsync("root", device.Chain.Root, verified: true); // verified CA, but no enrollment
        var config = AgentConfigFile.Write(device, _endpoint, Path.Combine(device.Directory, "state"));

        await using var daemon = AgentDaemon.Start(config, device.Token.Environment);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!daemon.Output.Contains("trying again in", StringComparison.Ordinal))
        {
            Assert.False(daemon.Process.HasExited, daemon.Output);
            Assert.True(DateTime.UtcNow < deadline, $"no refusal within 60 s:\n{daemon.Output}");
            await Task.Delay(100);
        }
        var (exitCode, took) = await daemon.StopAsync();

        Assert.True(exitCode == 0, $"exit {exitCode} (systemd would mark the unit failed):\n{daemon.Output}");
        Assert.True(took < TimeSpan.FromSeconds(5), $"SIGTERM took {took}");
    }

    [Fact]
    public async Task A_device_blocked_by_a_disabled_individual_enrollment_is_told_so()
    {
        using var device = DeviceUnderTest.Create(tokens.Tpm);
        await EnrollAsync(device);
        using (var leaf = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(device.ChainPath))
            await _endpoint.Store.PutIndividualAsync(device.Key.Pkcs11!.ObjectLabel!, leaf, ProvisioningStatus.Disabled);
        var config = AgentConfigFile.Write(device, _endpoint, Path.Combine(device.Directory, "state"));

        var result = await AgentProcess.RunAsync(["provision", "--config", config], device.Token.Environment);

        Assert.True(result.ExitCode == 1, result.Transcript);
        Assert.Contains("not provisioned (disabled)", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("is disabled", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("hint: the first enrollment entry found for this device", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Speaks_the_systemd_notify_protocol_ready_status_watchdog_stopping()
    {
        using var device = DeviceUnderTest.Create(tokens.SoftHsm);
        await EnrollAsync(device);
        var config = AgentConfigFile.Write(device, _endpoint, Path.Combine(device.Directory, "state"));
        using var systemd = new NotifySocket(Path.Combine(device.Directory, "notify.sock"));
        var environment = new Dictionary<string, string>(device.Token.Environment)
        {
            ["NOTIFY_SOCKET"] = systemd.Path,
            ["WATCHDOG_USEC"] = "1000000",
        };

        await using var daemon = AgentDaemon.Start(config, environment);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!systemd.Messages.Any(m => m.Contains("STATUS=connected to hub", StringComparison.Ordinal)) || systemd.Messages.Count(m => m == "WATCHDOG=1") < 3)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{string.Join(" | ", systemd.Messages)}\n{daemon.Output}");
            await Task.Delay(100);
        }
        var (exitCode, _) = await daemon.StopAsync();
        await Task.Delay(200);

        Assert.Equal(0, exitCode);
        var messages = systemd.Messages;
        Assert.StartsWith("READY=1\nSTATUS=identity ready", messages[0], StringComparison.Ordinal);
        Assert.Contains(messages, m => m.StartsWith("STATUS=provisioning with DPS", StringComparison.Ordinal));
        Assert.Equal("STOPPING=1\nSTATUS=stopping", messages[^1]);
    }

    [Fact]
    public async Task Doctor_checks_the_DPS_endpoint_and_the_assigned_hub()
    {
        using var device = DeviceUnderTest.Create(tokens.Tpm);
        await EnrollAsync(device);
        var config = AgentConfigFile.Write(device, _endpoint, Path.Combine(device.Directory, "state"));
        var provision = await AgentProcess.RunAsync(["provision", "--config", config], device.Token.Environment);
        Assert.True(provision.ExitCode == 0, provision.Transcript);

        var healthy = await AgentProcess.RunAsync(["doctor", "--config", config], device.Token.Environment);
        await _endpoint.Store.DeleteHubDeviceAsync("hub1", device.Key.Pkcs11!.ObjectLabel!, null);
        var forgotten = await AgentProcess.RunAsync(["doctor", "--config", config], device.Token.Environment);

        Assert.True(healthy.ExitCode == 0, healthy.Transcript);
        Assert.Contains($"[ok     ] DPS endpoint accepts the device: {_endpoint.DeviceEndpoint} accepted registration id", healthy.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("[ok     ] assigned hub accepts the device: hub localhost:", healthy.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(1, forgotten.ExitCode);
        Assert.Contains("[FAILED ] assigned hub accepts the device", forgotten.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("disabled, deleted or re-keyed", forgotten.StandardOutput, StringComparison.Ordinal);
    }

    private async Task EnrollAsync(DeviceUnderTest device)
    {
        await _endpoint.Store.UploadCaAsync($"root-{Guid.NewGuid():N}", device.Chain.Root, verified: true);
        await _endpoint.Store.PutGroupAsync($"group-{Guid.NewGuid():N}", device.Chain.Intermediate);
    }

    private async Task<string> RunUntilTelemetryAsync(DeviceUnderTest device, string config, int atLeast)
    {
        var registrationId = device.Key.Pkcs11!.ObjectLabel!;
        var before = (await _endpoint.Store.ListTelemetryAsync("hub1", registrationId, 1000)).Count;
        await using var daemon = AgentDaemon.Start(config, device.Token.Environment);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while ((await _endpoint.Store.ListTelemetryAsync("hub1", registrationId, 1000)).Count < before + atLeast)
        {
            Assert.False(daemon.Process.HasExited, $"the agent exited early:\n{daemon.Output}\n--- endpoint\n{_endpoint.Output}");
            Assert.True(DateTime.UtcNow < deadline, $"no telemetry within 60 s:\n{daemon.Output}\n--- endpoint\n{_endpoint.Output}");
            await Task.Delay(200);
        }
        var (exitCode, took) = await daemon.StopAsync();
        Assert.True(exitCode == 0, $"exit {exitCode}:\n{daemon.Output}");
        Assert.True(took < TimeSpan.FromSeconds(5), $"SIGTERM took {took} to stop the agent");
        var telemetry = await _endpoint.Store.ListTelemetryAsync("hub1", registrationId, 1);
        using var body = JsonDocument.Parse(telemetry[^1].Body);
        Assert.True(body.RootElement.TryGetProperty("uptimeSeconds", out _));
        Assert.Equal(Hub.AgentVersion.Current, body.RootElement.GetProperty("agentVersion").GetString());
        return daemon.Output;
    }
}
