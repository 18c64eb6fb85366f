using System.Text.Json;
using System.Text.Json.Nodes;
using DeviceAgent.TestPeers;
using DeviceAgent.Tests.Support;
using ProvisioningEndpoint.Tests.Support;

namespace DeviceAgent.Tests.EndToEnd;

/// <summary>
/// DPS TPM attestation end to end: tpm2_createek reports the EK of a swtpm, the official Node.js
/// service SDK (azure-iot-provisioning-service) creates the individual enrollment with it, and the
/// agent (<c>provisioning.attestation: "tpm"</c>, no certificate, no registration id configured)
/// shows the same EK in <c>tpm info</c>, provisions over the HTTPS device API and sends telemetry
/// with hub SAS tokens signed in the TPM, renewing its token by reconnecting. A second swtpm (another
/// EK) under the same registration id is refused with the endpoint's reason. The endpoint runs as a process.
/// </summary>
public sealed class TpmAttestationEndToEndTests : IAsyncLifetime
{
    private EndpointProcess _endpoint = null!;
    private Swtpm _tpm = null!;
    private string _directory = null!;

    public async Task InitializeAsync()
    {
        _tpm = await Swtpm.StartAsync();
        _endpoint = await EndpointProcess.StartAsync();
        _directory = Directory.CreateTempSubdirectory("deviceagent-tpm-attestation.").FullName;
    }

    public async Task DisposeAsync()
    {
        await _endpoint.DisposeAsync();
        _tpm.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task The_agent_provisions_with_the_EK_the_Node_service_SDK_enrolled_and_sends_telemetry_with_TPM_signed_SAS_tokens_and_another_TPM_is_refused()
    {
        var ekFile = Path.Combine(_directory, "ek.pub");
        var createEk = await _tpm.RunToolAsync("tpm2_createek", ["-c", Path.Combine(_directory, "ek.ctx"), "-G", "rsa", "-u", ekFile]);
        Assert.True(createEk.ExitCode == 0, createEk.Transcript);
        await _tpm.RunToolAsync("tpm2_flushcontext", ["-t"]);
        var ek = await File.ReadAllBytesAsync(ekFile);
        var config = await WriteConfigAsync("device", _tpm.Spec, registrationId: null);

        var info = await AgentProcess.RunAsync(["tpm", "info", "--config", config, "--json"]);
        Assert.True(info.ExitCode == 0, info.Transcript);
        string registrationId;
        using (var reported = JsonDocument.Parse(info.StandardOutput))
        {
            Assert.Equal(Convert.ToBase64String(ek), reported.RootElement.GetProperty("endorsementKey").GetString());
            Assert.False(reported.RootElement.GetProperty("endorsementCertificatePresent").GetBoolean());
            registrationId = reported.RootElement.GetProperty("suggestedRegistrationId").GetString()!;
        }
        // The official Node SDK's TPM client (tss.js) derives the same registration id from the same EK.
        using (TrmBridge.Start(_tpm))
        {
            var sdk = await NodePeer.RunAsync("dps-device-tpm.mjs", new Dictionary<string, string> { ["MODE"] = "ek" });
            Assert.True(sdk.ExitCode == 0, sdk.Transcript);
            using var derived = JsonDocument.Parse(sdk.StandardOutput);
            Assert.Equal(Convert.ToBase64String(ek), derived.RootElement.GetProperty("endorsementKey").GetString());
            Assert.Equal(registrationId, derived.RootElement.GetProperty("registrationId").GetString());
        }
        await CreateEnrollmentWithNodeSdkAsync(registrationId, ekFile);

        var provision = await AgentProcess.RunAsync(["provision", "--config", config, "--json"]);
        Assert.True(provision.ExitCode == 0, provision.Transcript + "\n--- endpoint\n" + _endpoint.Output);
        using (var outcome = JsonDocument.Parse(provision.StandardOutput))
            Assert.Equal(registrationId, outcome.RootElement.GetProperty("deviceId").GetString());

        await using (var daemon = AgentDaemon.Start(config, new Dictionary<string, string>()))
        {
            // Lifetime 10 s: the agent reconnects with a fresh token after 8 s and telemetry goes on.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            int? atRenewal = null;
            while (true)
            {
                var received = (await _endpoint.Store.ListTelemetryAsync("hub1", registrationId, 200)).Count;
                if (atRenewal is null && Connections(registrationId) >= 2)
                    atRenewal = received;
                if (received >= atRenewal + 2)
                    break;
                Assert.False(daemon.Process.HasExited, $"the agent exited early:\n{daemon.Output}\n--- endpoint\n{_endpoint.Output}");
                Assert.True(DateTime.UtcNow < deadline, $"no telemetry after a token renewal within 60 s:\n{daemon.Output}\n--- endpoint\n{_endpoint.Output}");
                await Task.Delay(250);
            }
            var (exitCode, _) = await daemon.StopAsync();
            Assert.True(exitCode == 0, $"exit {exitCode}:\n{daemon.Output}");
            Assert.DoesNotContain("sig=", daemon.Output, StringComparison.Ordinal);
        }
        var status = await AgentProcess.RunAsync(["status", "--config", config]);
        Assert.True(status.ExitCode == 0, status.Transcript);
        Assert.Contains("TPM EK sha256:    ", status.StandardOutput, StringComparison.Ordinal);
        var doctor = await AgentProcess.RunAsync(["doctor", "--config", config]);
        Assert.True(doctor.ExitCode == 0, doctor.Transcript);
        Assert.Contains($"[ok     ] TPM attestation keys (EK, SRK): EK RSA 2048 at 0x81010001 (TCG template L-1), SRK RSA 2048 at 0x81000002; " +
            $"registration id '{registrationId}' (derived from the EK); hub key at 0x81000100", doctor.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("[skipped] chain bundle is valid and matches the key: provisioning.attestation is \"tpm\"", doctor.StandardOutput, StringComparison.Ordinal);

        using var other = await Swtpm.StartAsync();
        var impostor = await WriteConfigAsync("impostor", other.Spec, registrationId);
        var refused = await AgentProcess.RunAsync(["provision", "--config", impostor, "--json"]);
        Assert.Equal(1, refused.ExitCode);
        using var refusal = JsonDocument.Parse(refused.StandardOutput);
        Assert.Equal("refused", refusal.RootElement.GetProperty("status").GetString());
        Assert.Contains($"the endorsement key is not the one of individual enrollment '{registrationId}'",
            refusal.RootElement.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.Contains("deviceagent tpm info", refusal.RootElement.GetProperty("likelyCause").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_official_Node_device_SDKs_TPM_client_provisions_over_the_HTTPS_device_API()
    {
        using var bridge = TrmBridge.Start(_tpm);
        var ek = await NodePeer.RunAsync("dps-device-tpm.mjs", new Dictionary<string, string> { ["MODE"] = "ek" });
        Assert.True(ek.ExitCode == 0, ek.Transcript);
        using var identity = JsonDocument.Parse(ek.StandardOutput);
        var registrationId = identity.RootElement.GetProperty("registrationId").GetString()!;
        var ekFile = Path.Combine(_directory, "node-ek.pub");
        await File.WriteAllBytesAsync(ekFile, Convert.FromBase64String(identity.RootElement.GetProperty("endorsementKey").GetString()!));
        await CreateEnrollmentWithNodeSdkAsync(registrationId, ekFile);

        var register = await NodePeer.RunAsync("dps-device-tpm.mjs", new Dictionary<string, string>
        {
            ["MODE"] = "register",
            ["NODE_EXTRA_CA_CERTS"] = _endpoint.ServerCaPath,
            ["DPS_HOST"] = _endpoint.DeviceHttpsEndpoint,
            ["DPS_ID_SCOPE"] = _endpoint.IdScope,
        });

        Assert.True(register.ExitCode == 0, register.Transcript + "\n--- endpoint\n" + _endpoint.Output);
        using var outcome = JsonDocument.Parse(register.StandardOutput);
        // The SDK's result is DPS's operation status; its registrationState names the assignment.
        Assert.Equal("assigned", outcome.RootElement.GetProperty("registration").GetProperty("status").GetString());
        var registration = outcome.RootElement.GetProperty("registration").GetProperty("registrationState");
        Assert.True(registration.TryGetProperty("deviceId", out var deviceId), register.StandardOutput);
        Assert.Equal(registrationId, deviceId.GetString());
        Assert.StartsWith("localhost", registration.GetProperty("assignedHub").GetString(), StringComparison.Ordinal);
    }

    private int Connections(string deviceId) =>
        _endpoint.Output.Split('\n').Count(line => line.Contains($"device {deviceId} connected", StringComparison.Ordinal));

    private async Task CreateEnrollmentWithNodeSdkAsync(string registrationId, string ekFile)
    {
        var result = await NodePeer.RunAsync("provisioning-service.mjs", new Dictionary<string, string>
        {
            ["NODE_EXTRA_CA_CERTS"] = _endpoint.ServerCaPath,
            ["PROVISIONING_CONNECTION_STRING"] = _endpoint.ConnectionString,
            ["STEPS"] = JsonSerializer.Serialize(new[] { new[] { "individual-create-tpm", registrationId, ekFile } }),
        });
        Assert.True(result.ExitCode == 0 && !result.StandardOutput.Contains("\"error\"", StringComparison.Ordinal), result.Transcript);
    }

    private async Task<string> WriteConfigAsync(string name, string tpm, string? registrationId)
    {
        var provisioning = new JsonObject
        {
            ["attestation"] = "tpm",
            ["endpoint"] = _endpoint.DeviceHttpsEndpoint,
            ["idScope"] = _endpoint.IdScope,
            ["trust"] = _endpoint.ServerCaPath,
        };
        if (registrationId is not null)
            provisioning["registrationId"] = registrationId;
        var config = new JsonObject
        {
            ["identity"] = new JsonObject { ["tpm"] = tpm },
            ["provisioning"] = provisioning,
            ["hub"] = new JsonObject { ["trust"] = _endpoint.ServerCaPath, ["telemetryIntervalSeconds"] = 1, ["sasTokenLifetimeSeconds"] = 10 },
            ["stateDirectory"] = Path.Combine(_directory, $"{name}-state"),
        };
        var path = Path.Combine(_directory, $"{name}.json");
        await File.WriteAllTextAsync(path, config.ToJsonString());
        return path;
    }
}
