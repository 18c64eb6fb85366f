using System.Text;
using System.Text.Json;
using DeviceAgent.TestPeers;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Tests.Support;

namespace ProvisioningEndpoint.Tests.Interop;

/// <summary>
/// The official Azure IoT Node.js SDKs, unchanged, against the endpoint:
/// azure-iot-provisioning-device-mqtt + azure-iot-security-x509 register a device that presents
/// leaf + intermediate; azure-iot-device-mqtt connects to the assigned hub and sends telemetry
/// that the endpoint records.
/// </summary>
public sealed class NodeDeviceSdkTests : IAsyncLifetime
{
    private readonly FiveDevices _pki = new();
    private readonly DirectoryInfo _files = Directory.CreateTempSubdirectory("node-sdk.");
    private EndpointUnderTest _endpoint = null!;

    public async Task InitializeAsync()
    {
        _endpoint = await EndpointUnderTest.StartAsync(retryAfterSeconds: 1, throttlePolls: true);
        await _endpoint.Store.UploadCaAsync("root", _pki.Root.Certificate, verified: true);
        await _endpoint.Store.PutGroupAsync("root-group", _pki.Root.Certificate,
            initialTwin: """{"properties":{"desired":{"telemetryIntervalSeconds":30}}}""");
    }

    public async Task DisposeAsync()
    {
        await _endpoint.DisposeAsync();
        _pki.Dispose();
        _files.Delete(recursive: true);
    }

    [Fact]
    public async Task Node_sdk_registers_with_the_full_chain_and_sends_telemetry_to_the_assigned_hub()
    {
        var result = await RunDevice(_pki[1], telemetry: 3);

        Assert.True(result.ExitCode == 0, result.Transcript);
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var registration = lines[0].GetProperty("registration");
        Assert.Equal("assigned", registration.GetProperty("status").GetString());
        Assert.Equal($"localhost:{_endpoint.Configuration.Hubs[0].Port}", registration.GetProperty("assignedHub").GetString());
        Assert.Equal("device-1", registration.GetProperty("deviceId").GetString());
        Assert.Equal(30, lines[1].GetProperty("twinDesired").GetProperty("telemetryIntervalSeconds").GetInt32());

        var telemetry = await StoredTelemetry.WaitForAsync(_endpoint.Store, "hub1", "device-1", 3);
        Assert.Equal(3, telemetry.Count);
        Assert.Contains("\"sequence\":2", Encoding.UTF8.GetString(telemetry[^1].Body), StringComparison.Ordinal);
        Assert.Contains("source=node-sdk", telemetry[^1].Properties, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Node_sdk_sees_the_refusal_of_a_device_whose_group_is_disabled()
    {
        await _endpoint.Store.PutGroupAsync("group-b", _pki.B.Certificate, ProvisioningStatus.Disabled);

        var result = await RunDevice(_pki[4], telemetry: 0);

        Assert.Equal(1, result.ExitCode);
        // The SDK knows assigned/assigning/failed; "disabled" reaches it as an unknown status, as with the real service.
        Assert.Contains("status is disabled", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Node_sdk_gets_401_for_a_device_of_an_unknown_CA()
    {
        using var stranger = TestCa.CreateRoot("Stranger Root");
        using var device = stranger.IssueDevice("stranger-1");

        var result = await RunDevice(device, telemetry: 0);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("UnauthorizedError", result.StandardOutput, StringComparison.Ordinal);
    }

    private async Task<ProcessResult> RunDevice(TestDevice device, int telemetry)
    {
        var certFile = Path.Combine(_files.FullName, device.RegistrationId + ".pem");
        var keyFile = Path.Combine(_files.FullName, device.RegistrationId + ".key");
        await File.WriteAllTextAsync(certFile, device.ChainPem);
        await File.WriteAllTextAsync(keyFile, device.KeyPem);
        return await NodePeer.RunAsync("dps-device.mjs", new Dictionary<string, string>
        {
            ["NODE_EXTRA_CA_CERTS"] = _endpoint.ServerCaPath,
            ["DPS_HOST"] = $"localhost:{_endpoint.Configuration.DevicePort}",
            ["DPS_ID_SCOPE"] = _endpoint.Configuration.IdScope,
            ["REGISTRATION_ID"] = device.RegistrationId,
            ["CERT_FILE"] = certFile,
            ["KEY_FILE"] = keyFile,
            ["TELEMETRY_COUNT"] = telemetry.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
    }
}
