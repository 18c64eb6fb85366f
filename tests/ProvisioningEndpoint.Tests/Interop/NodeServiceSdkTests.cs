using System.Text.Json;
using DeviceAgent.TestPeers;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Tests.Support;

namespace ProvisioningEndpoint.Tests.Interop;

/// <summary>
/// The official Azure IoT Node.js service SDKs, unchanged, against the REST API:
/// azure-iot-provisioning-service creates, reads, updates (read-modify-write with etags), queries
/// and deletes individual enrollments, enrollment groups and registration states;
/// azure-iothub lists, reads, disables, enables and deletes hub devices, and a connected device
/// is disconnected when it is disabled.
/// </summary>
public sealed class NodeServiceSdkTests : IAsyncLifetime
{
    private readonly FiveDevices _pki = new();
    private readonly DirectoryInfo _files = Directory.CreateTempSubdirectory("node-service-sdk.");
    private EndpointUnderTest _endpoint = null!;

    public async Task InitializeAsync()
    {
        _endpoint = await EndpointUnderTest.StartAsync();
        using var client = RestClient.Provisioning(_endpoint);
        await client.ProveAsync("root", _pki.Root);
    }

    public async Task DisposeAsync()
    {
        await _endpoint.DisposeAsync();
        _pki.Dispose();
        _files.Delete(recursive: true);
    }

    [Fact]
    public async Task Provisioning_service_sdk_manages_enrollments_groups_and_registration_states()
    {
        var steps = await RunProvisioningAsync(
            ["individual-create", "device-3", Pem("device-3", _pki[3].Leaf)],
            ["individual-get", "device-3"],
            ["individual-set-status", "device-3", "disabled"],
            ["individual-create", "device-1", Pem("device-1", _pki[1].Leaf)],
            ["individual-query", "1"],
            ["group-create", "group-a", Pem("certificate-a", _pki.A.Certificate)],
            ["group-get", "group-a"],
            ["group-query"],
            ["group-create-by-reference", "root-group", "root"]);

        Assert.Equal("device-3", steps["individual-get"].GetProperty("registrationId").GetString());
        Assert.Equal(_pki[3].Leaf.Thumbprint, steps["individual-get"].GetProperty("attestation").GetProperty("x509").GetProperty("clientCertificates")
            .GetProperty("primary").GetProperty("info").GetProperty("sha1Thumbprint").GetString());
        Assert.Equal("disabled", steps["individual-set-status"].GetProperty("provisioningStatus").GetString());
        Assert.Equal(2, steps["individual-query"].GetProperty("pages").GetInt32());
        Assert.Equal(["device-1", "device-3"], steps["individual-query"].GetProperty("items").EnumerateArray().Select(e => e.GetProperty("registrationId").GetString()));
        Assert.Equal("group-a", steps["group-get"].GetProperty("enrollmentGroupId").GetString());
        Assert.Equal(["group-a"], steps["group-query"].GetProperty("items").EnumerateArray().Select(e => e.GetProperty("enrollmentGroupId").GetString()));
        Assert.Equal("root", steps["group-create-by-reference"].GetProperty("attestation").GetProperty("x509").GetProperty("caReferences").GetProperty("primary").GetString());

        // Devices register with the agent's DPS client: device-2 through group-a, device-3 blocked by its disabled enrollment.
        await _endpoint.AssertAssignedAsync(_pki[2]);
        await _endpoint.AssertRefusedAsync(_pki[3], "disabled");

        steps = await RunProvisioningAsync(
            ["group-devices", "group-a"],
            ["registration-get", "device-2"],
            ["individual-delete", "device-1"],
            ["individual-get", "device-1"],
            ["group-delete", "group-a"],
            ["group-get", "group-a"]);

        var devices = steps["group-devices"].GetProperty("items").EnumerateArray().ToList();
        Assert.Equal("device-2", Assert.Single(devices).GetProperty("registrationId").GetString());
        Assert.Equal(_endpoint.Configuration.Hubs[0].AssignedHub, devices[0].GetProperty("assignedHub").GetString());
        Assert.Equal("assigned", steps["registration-get"].GetProperty("status").GetString());
        Assert.Equal(404, steps["individual-get:error"].GetProperty("statusCode").GetInt32());
        Assert.Equal(404, steps["group-get:error"].GetProperty("statusCode").GetInt32());
        Assert.Null(await _endpoint.Store.GetEnrollmentGroupAsync("group-a"));
    }

    [Fact]
    public async Task Provisioning_service_sdk_sees_the_refusal_of_a_group_for_an_unverified_CA()
    {
        using var foreign = TestCa.CreateRoot("Fabrikam Root");

        var steps = await RunProvisioningAsync(["group-create", "fabrikam", Pem("fabrikam", foreign.Certificate)]);

        var error = steps["group-create:error"];
        Assert.Equal(400, error.GetProperty("statusCode").GetInt32());
        Assert.Equal("ArgumentError", error.GetProperty("name").GetString());
        Assert.Contains("is not verified", error.GetProperty("body").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Iothub_registry_disables_a_connected_device_which_is_disconnected_and_refused()
    {
        await _endpoint.Store.PutGroupAsync("root-group", _pki.Root.Certificate);
        await _endpoint.AssertAssignedAsync(_pki[1]);
        await using var session = await _endpoint.ConnectAsync(_pki[1]);

        var steps = await RunRegistryAsync(["list"], ["get", "device-1"], ["disable", "device-1"]);

        Assert.Equal("device-1", steps["list"][0].GetProperty("deviceId").GetString());
        Assert.Equal(_pki[1].Leaf.Thumbprint, steps["get"].GetProperty("authentication").GetProperty("x509Thumbprint").GetProperty("primaryThumbprint").GetString());
        Assert.Equal("disabled", steps["disable"].GetProperty("status").GetString());
        await session.AssertClosedByTheEndpointAsync("the hub did not disconnect the disabled device");
        Assert.Equal(HubDeviceStatus.Disabled, (await _endpoint.Store.GetHubDeviceAsync("hub1", "device-1"))!.Status);
        await Assert.ThrowsAsync<DeviceAgent.Provisioning.Transport.MqttConnectionRefusedException>(() => _endpoint.ConnectAsync(_pki[1]));
    }

    [Fact]
    public async Task Iothub_registry_creates_enables_and_deletes_devices_and_reports_unknown_ones()
    {
        var steps = await RunRegistryAsync(
            ["create", "device-5", _pki[5].Leaf.Thumbprint],
            ["disable", "device-5"],
            ["enable", "device-5"],
            ["twin", "device-5"],
            ["delete", "device-5"],
            ["get", "device-5"]);

        Assert.Equal("enabled", steps["create"].GetProperty("status").GetString());
        Assert.Equal("enabled", steps["enable"].GetProperty("status").GetString());
        Assert.Equal("deleted", steps["delete"].GetString());
        Assert.Equal("DeviceNotFoundError", steps["get:error"].GetProperty("name").GetString());
        Assert.Null(await _endpoint.Store.GetHubDeviceAsync("hub1", "device-5"));
    }

    private Task<Dictionary<string, JsonElement>> RunProvisioningAsync(params string[][] steps) =>
        RunAsync("provisioning-service.mjs", "PROVISIONING_CONNECTION_STRING", _endpoint.Data.OwnerConnectionString(_endpoint.Configuration), steps);

    private Task<Dictionary<string, JsonElement>> RunRegistryAsync(params string[][] steps) =>
        RunAsync("iothub-registry.mjs", "IOTHUB_CONNECTION_STRING", _endpoint.Data.HubConnectionString(_endpoint.Configuration.Hubs[0])!, steps);

    // One entry per step: "name" -> result, or "name:error" -> {statusCode, name, message} (a repeated step: the last).
    private async Task<Dictionary<string, JsonElement>> RunAsync(string script, string variable, string connectionString, string[][] steps)
    {
        var result = await NodePeer.RunAsync(script, new Dictionary<string, string>
        {
            ["NODE_EXTRA_CA_CERTS"] = _endpoint.ServerCaPath,
            [variable] = connectionString,
            ["STEPS"] = JsonSerializer.Serialize(steps),
        });
        Assert.True(result.ExitCode == 0, result.Transcript);
        var outcomes = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == steps.Length, result.Transcript);
        foreach (var line in lines)
        {
            var step = JsonDocument.Parse(line).RootElement;
            var name = step.GetProperty("step").GetString()!;
            if (step.TryGetProperty("error", out var error))
                outcomes[name + ":error"] = error;
            else
                outcomes[name] = step.GetProperty("result");
        }
        return outcomes;
    }

    private string Pem(string name, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        var path = Path.Combine(_files.FullName, name + ".pem");
        File.WriteAllText(path, certificate.ExportCertificatePem());
        return path;
    }
}
