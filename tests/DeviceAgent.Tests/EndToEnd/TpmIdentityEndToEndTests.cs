using System.Text.Json;
using System.Text.Json.Nodes;
using DeviceAgent.Keys;
using DeviceAgent.TestPeers;
using DeviceAgent.Tests.Support;
using DeviceAgent.Tpm.Keys;
using DeviceAgent.Tpm.Transport;
using ProvisioningEndpoint.Tests.Support;

namespace DeviceAgent.Tests.EndToEnd;

/// <summary>
/// The device key in the TPM through our own stack (identity.tpm + a tpm: key): no tpm2-pkcs11, no
/// tpm2-abrmd, no OpenSSL engine. A swtpm of its own, the endpoint as a process; `provision`, `run`
/// until telemetry arrives, SIGTERM, and `doctor` on the same configuration; the simulator killed
/// and started again under a running agent. tpm2-tools is the independent client that makes a key
/// doctor must refuse.
/// </summary>
public sealed class TpmIdentityEndToEndTests : IAsyncLifetime
{
    private const string PersistentHandle = "0x81000101";
    private EndpointProcess _endpoint = null!;
    private Swtpm _tpm = null!;
    private TestChain _chain = null!;
    private string _directory = null!;

    public async Task InitializeAsync()
    {
        _tpm = await Swtpm.StartAsync();
        _endpoint = await EndpointProcess.StartAsync();
        _chain = TestChain.Create("TPM Test");
        _directory = Directory.CreateTempSubdirectory("deviceagent-tpm-e2e.").FullName;
    }

    public async Task DisposeAsync()
    {
        await _endpoint.DisposeAsync();
        _tpm.Dispose();
        _chain.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Provisions_and_sends_telemetry_with_the_key_in_the_TPM_through_our_stack_and_doctor_agrees()
    {
        var registrationId = "tpm-device-1";
        var config = await CreateDeviceAsync(registrationId, PersistentHandle);

        var doctor = await AgentProcess.RunAsync(["doctor", "--config", config]);
        Assert.True(doctor.ExitCode == 0, doctor.Transcript);
        Assert.Contains($"[ok     ] TPM answers: {_tpm.Spec}: 'IBM' TPM 2.0", doctor.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"ec-p256 key at {PersistentHandle} in {_tpm.Spec}", doctor.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("can never leave it (fixedTPM, fixedParent)", doctor.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("[ok     ] chain bundle is valid and matches the key", doctor.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("[skipped] PKCS#11 module loads: the key is in the TPM through our own stack", doctor.StandardOutput, StringComparison.Ordinal);

        var provision = await AgentProcess.RunAsync(["provision", "--config", config, "--json"]);
        Assert.True(provision.ExitCode == 0, provision.Transcript);
        using (var outcome = JsonDocument.Parse(provision.StandardOutput))
            Assert.Equal(registrationId, outcome.RootElement.GetProperty("deviceId").GetString());

        await using var daemon = AgentDaemon.Start(config, new Dictionary<string, string>());
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while ((await _endpoint.Store.ListTelemetryAsync("hub1", registrationId, 10)).Count < 2)
        {
            Assert.False(daemon.Process.HasExited, $"the agent exited early:\n{daemon.Output}\n--- endpoint\n{_endpoint.Output}");
            Assert.True(DateTime.UtcNow < deadline, $"no telemetry within 60 s:\n{daemon.Output}\n--- endpoint\n{_endpoint.Output}");
            await Task.Delay(200);
        }
        var (exitCode, _) = await daemon.StopAsync();
        Assert.True(exitCode == 0, $"exit {exitCode}:\n{daemon.Output}");
    }

    [Fact]
    public async Task Doctor_refuses_a_key_that_tpm2_create_made_duplicable_and_a_TPM_that_is_not_there()
    {
        // An independent client makes a signing key that can leave the TPM (no fixedTPM/fixedParent)
        // and persists it; the agent's chain certifies it, so only the custody check can object.
        var work = Path.Combine(_directory, "tools");
        Directory.CreateDirectory(work);
        await MustAsync("tpm2_createprimary", "-C", "o", "-g", "sha256", "-G", "ecc256:null:aes128cfb", "-c", Path.Combine(work, "parent.ctx"));
        await _tpm.RunToolAsync("tpm2_flushcontext", ["-t"]);
        await MustAsync("tpm2_create", "-C", Path.Combine(work, "parent.ctx"), "-G", "ecc256:ecdsa-sha256",
            "-a", "sign|userwithauth|sensitivedataorigin", "-u", Path.Combine(work, "key.pub"), "-r", Path.Combine(work, "key.priv"));
        await _tpm.RunToolAsync("tpm2_flushcontext", ["-t"]);
        await MustAsync("tpm2_load", "-C", Path.Combine(work, "parent.ctx"), "-u", Path.Combine(work, "key.pub"), "-r", Path.Combine(work, "key.priv"),
            "-c", Path.Combine(work, "key.ctx"));
        await _tpm.RunToolAsync("tpm2_flushcontext", ["-t"]);
        await MustAsync("tpm2_evictcontrol", "-C", "o", "-c", Path.Combine(work, "key.ctx"), "0x81000102");
        await _tpm.RunToolAsync("tpm2_flushcontext", ["-t"]);
        var config = await WriteConfigAsync("duplicable", "0x81000102", generate: false);

        var duplicable = await AgentProcess.RunAsync(["doctor", "--config", config]);
        var absent = await AgentProcess.RunAsync(["doctor", "--key", $"tpm:handle={PersistentHandle}", "--tpm", $"swtpm:host=127.0.0.1,port={FreePort.Next()}",
            "--chain", Path.Combine(_directory, "duplicable.pem")]);

        Assert.Equal(1, duplicable.ExitCode);
        Assert.Contains("[FAILED ] device key exists and never left the token", duplicable.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("fixedTPM is clear: it could be duplicated to another TPM", duplicable.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("fixedParent is clear", duplicable.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(1, absent.ExitCode);
        Assert.Contains("[FAILED ] TPM answers: TPM swtpm:host=127.0.0.1,port=", absent.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("check identity.tpm", absent.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("[skipped] device key exists and never left the token: not run: the check \"TPM answers\" did not pass", absent.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_survives_the_TPM_killed_and_started_again_keeping_its_key_and_device_id()
    {
        const string Handle = "0x81000103";
        const int KeepAliveSeconds = 5;
        var registrationId = "tpm-restart-1";
        var config = await CreateDeviceAsync(registrationId, Handle, KeepAliveSeconds);
        byte[] publicKey;
        using (var backend = new TpmKeyBackend(TpmSpec.Parse(_tpm.Spec)))
            publicKey = backend.GetPublicKey(KeyReference.Parse($"tpm:handle={Handle}")).SubjectPublicKeyInfo.ToArray();
        var provision = await AgentProcess.RunAsync(["provision", "--config", config]);
        Assert.True(provision.ExitCode == 0, provision.Transcript);
        // The hub through a fault proxy: a TLS session needs the TPM only at its handshake, so the
        // outage shows when the connection must be made again.
        await using var hub = new FaultProxy("localhost", _endpoint.HubPort);
        var statePath = Path.Combine(_directory, $"{registrationId}-state", "state.json");
        var state = JsonNode.Parse(await File.ReadAllTextAsync(statePath))!;
        state["assignedHub"] = $"localhost:{hub.Port}";
        await File.WriteAllTextAsync(statePath, state.ToJsonString());
        var stateBefore = JsonNode.Parse(await File.ReadAllTextAsync(statePath))!;

        await using var daemon = AgentDaemon.Start(config, new Dictionary<string, string>());
        await WaitForTelemetryAsync(daemon, registrationId, 2);
        _tpm.Kill();
        hub.Break(ProxyFault.HalfOpen);
        await WaitUntilAsync(daemon, "the device key did not sign the CertificateVerify", TimeSpan.FromSeconds(40));
        var during = (await _endpoint.Store.ListTelemetryAsync("hub1", registrationId, 10_000)).Count;
        await _tpm.StartAgainAsync();
        await WaitForTelemetryAsync(daemon, registrationId, during + 2);

        Assert.False(daemon.Process.HasExited, daemon.Output);
        Assert.True(daemon.Output.Contains($"the private key tpm:handle={Handle} failed to sign the TLS handshake: TPM2_Sign with the key at {Handle} failed: swtpm at 127.0.0.1:{_tpm.Port} closed the connection", StringComparison.Ordinal), daemon.Output);
        Assert.True(daemon.Output.Contains($"connected to hub localhost:{hub.Port} as device '{registrationId}'", StringComparison.Ordinal), daemon.Output);
        var (exitCode, _) = await daemon.StopAsync();
        Assert.True(exitCode == 0, $"exit {exitCode}:\n{daemon.Output}");
        // The same identity: the key at the same handle, the assignment untouched (no re-provisioning).
        using (var backend = new TpmKeyBackend(TpmSpec.Parse(_tpm.Spec)))
            Assert.Equal(publicKey, backend.GetPublicKey(KeyReference.Parse($"tpm:handle={Handle}")).SubjectPublicKeyInfo.ToArray());
        var stateAfter = JsonNode.Parse(await File.ReadAllTextAsync(statePath))!;
        Assert.Equal(stateBefore.ToJsonString(), stateAfter.ToJsonString());
        Assert.DoesNotContain("provisioning:", daemon.Output, StringComparison.Ordinal);
    }

    private async Task WaitForTelemetryAsync(AgentDaemon daemon, string registrationId, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while ((await _endpoint.Store.ListTelemetryAsync("hub1", registrationId, 10_000)).Count < count)
        {
            Assert.False(daemon.Process.HasExited, $"the agent exited early:\n{daemon.Output}\n--- endpoint\n{_endpoint.Output}");
            Assert.True(DateTime.UtcNow < deadline, $"fewer than {count} telemetry messages within 60 s:\n{daemon.Output}\n--- endpoint\n{_endpoint.Output}");
            await Task.Delay(200);
        }
    }

    private static async Task WaitUntilAsync(AgentDaemon daemon, string text, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (!daemon.Output.Contains(text, StringComparison.Ordinal))
        {
            Assert.False(daemon.Process.HasExited, $"the agent exited early:\n{daemon.Output}");
            Assert.True(DateTime.UtcNow < deadline, $"the agent did not say '{text}' within {patience.TotalSeconds:0} s:\n{daemon.Output}");
            await Task.Delay(200);
        }
    }

    private async Task<string> CreateDeviceAsync(string registrationId, string handle, int keepAliveSeconds = 60)
    {
        var config = await WriteConfigAsync(registrationId, handle, generate: true, keepAliveSeconds);
        await _endpoint.Store.UploadCaAsync($"root-{Guid.NewGuid():N}", _chain.Root, verified: true);
        await _endpoint.Store.PutGroupAsync($"group-{Guid.NewGuid():N}", _chain.Intermediate);
        return config;
    }

    /// <summary>Writes the chain (leaf for the TPM key at <paramref name="handle"/>) and agent.json with identity.tpm.</summary>
    private async Task<string> WriteConfigAsync(string registrationId, string handle, bool generate, int keepAliveSeconds = 60)
    {
        var key = KeyReference.Parse($"tpm:handle={handle}");
        DevicePublicKey publicKey;
        using (var backend = new TpmKeyBackend(TpmSpec.Parse(_tpm.Spec)))
            publicKey = generate ? backend.CreateKey(key, KeyAlgorithm.EcP256) : backend.GetPublicKey(key);
        using var leaf = _chain.IssueLeaf(publicKey.SubjectPublicKeyInfo.Span, registrationId);
        var chainPath = Path.Combine(_directory, $"{registrationId}.pem");
        await File.WriteAllTextAsync(chainPath, _chain.BundlePem(leaf));
        var config = new JsonObject
        {
            ["identity"] = new JsonObject { ["tpm"] = _tpm.Spec, ["key"] = key.Text, ["chain"] = chainPath },
            ["provisioning"] = new JsonObject
            {
                ["endpoint"] = _endpoint.DeviceEndpoint,
                ["idScope"] = _endpoint.IdScope,
                ["trust"] = _endpoint.ServerCaPath,
            },
            ["hub"] = new JsonObject { ["trust"] = _endpoint.ServerCaPath, ["telemetryIntervalSeconds"] = 1, ["keepAliveSeconds"] = keepAliveSeconds },
            ["retry"] = new JsonObject { ["transientMinimumSeconds"] = 0.5, ["transientMaximumSeconds"] = 2 },
            ["stateDirectory"] = Path.Combine(_directory, $"{registrationId}-state"),
        };
        var path = Path.Combine(_directory, $"{registrationId}.json");
        await File.WriteAllTextAsync(path, config.ToJsonString());
        return path;
    }

    private async Task MustAsync(string tool, params string[] arguments)
    {
        var result = await _tpm.RunToolAsync(tool, arguments);
        Assert.True(result.ExitCode == 0, $"{tool}: {result.Transcript}");
    }
}
