using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using DeviceAgent.TestPeers;
using DeviceAgent.Tpm.Credentials;
using DeviceAgent.Tpm.Marshalling;
using ProvisioningEndpoint.Hub;
using ProvisioningEndpoint.Tests.Support;

namespace ProvisioningEndpoint.Tests.Interop;

/// <summary>
/// DPS TPM attestation end to end without our agent: the official Node.js service SDK
/// (azure-iot-provisioning-service) creates the enrollment with the EK tpm2_createek reports from
/// swtpm; tpm2-tools alone plays the device over the HTTPS device API (challenge, ActivateCredential,
/// Import, Load, the registration SAS signed by TPM2_HMAC), is assigned, recovers its hub key the
/// same way and signs a hub SAS token the hub's authenticator accepts. A second swtpm (another EK)
/// under the same registration id is refused.
/// </summary>
public sealed class NodeServiceSdkTpmTests : IAsyncLifetime
{
    private readonly DirectoryInfo _files = Directory.CreateTempSubdirectory("node-service-sdk-tpm.");
    private EndpointUnderTest _endpoint = null!;

    public async Task InitializeAsync() => _endpoint = await EndpointUnderTest.StartAsync();

    public async Task DisposeAsync()
    {
        await _endpoint.DisposeAsync();
        _files.Delete(recursive: true);
    }

    [Fact]
    public async Task A_tpm2_tools_device_enrolled_by_the_Node_service_SDK_provisions_and_signs_hub_tokens_with_keys_that_stay_in_the_TPM()
    {
        using var tpm = await Swtpm.StartAsync();
        var device = await Tpm2ToolsDevice.CreateAsync(tpm);
        var ekFile = Path.Combine(_files.FullName, "ek.pub");
        await File.WriteAllBytesAsync(ekFile, device.EndorsementKey);
        await CreateEnrollmentWithNodeSdkAsync("tpm-device", ekFile);
        using var https = new DeviceHttpsClient(_endpoint);
        var body = Body("tpm-device", device.EndorsementKey, device.StorageRootKey);

        var challenge = await https.RegisterAsync("tpm-device", body);
        Assert.True(challenge.Status == HttpStatusCode.Unauthorized, challenge.ToString());
        await RecoverAsync(device, "registration", challenge.Json.GetProperty("authenticationKey").GetString()!);
        var sas = await SignAsync(device, "registration", $"{_endpoint.Configuration.IdScope}/registrations/tpm-device", "registration");
        var accepted = await https.RegisterAsync("tpm-device", body, sas);
        Assert.True(accepted.Status == HttpStatusCode.Accepted, accepted.ToString());
        var status = await https.PollAsync("tpm-device", accepted.Json.GetProperty("operationId").GetString()!, sas);

        Assert.Equal("assigned", status.Json.GetProperty("status").GetString());
        var state = status.Json.GetProperty("registrationState");
        await RecoverAsync(device, "hub", state.GetProperty("tpm").GetProperty("authenticationKey").GetString()!);
        var hub = _endpoint.Configuration.Hubs[0];
        var hubToken = await SignAsync(device, "hub", $"{state.GetProperty("assignedHub").GetString()}/devices/tpm-device", null);
        var hubKey = await _endpoint.Store.GetHubDeviceKeyAsync(hub.Name, "tpm-device");
        Assert.Null(new HubSasAuthenticator(TimeProvider.System).Refuse(hub, "tpm-device", hubKey!, Encoding.UTF8.GetBytes(hubToken)));

        using var other = await Swtpm.StartAsync();
        var impostor = await Tpm2ToolsDevice.CreateAsync(other);
        var refused = await https.RegisterAsync("tpm-device", Body("tpm-device", impostor.EndorsementKey, impostor.StorageRootKey));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        Assert.Contains("endorsement key is not the one of individual enrollment 'tpm-device'", refused.Message, StringComparison.Ordinal);
    }

    private async Task CreateEnrollmentWithNodeSdkAsync(string registrationId, string ekFile)
    {
        var result = await NodePeer.RunAsync("provisioning-service.mjs", new Dictionary<string, string>
        {
            ["NODE_EXTRA_CA_CERTS"] = _endpoint.ServerCaPath,
            ["PROVISIONING_CONNECTION_STRING"] = _endpoint.Data.OwnerConnectionString(_endpoint.Configuration),
            ["STEPS"] = JsonSerializer.Serialize(new[] { new[] { "individual-create-tpm", registrationId, ekFile } }),
        });
        Assert.True(result.ExitCode == 0 && !result.StandardOutput.Contains("\"error\"", StringComparison.Ordinal), result.Transcript);
        var enrollment = await _endpoint.Store.GetIndividualEnrollmentAsync(registrationId);
        Assert.Equal(await File.ReadAllBytesAsync(ekFile), enrollment!.EndorsementKey);
    }

    // The device's side, in the TPM: ActivateCredential, Import, Load (the key never leaves it).
    private static async Task RecoverAsync(Tpm2ToolsDevice device, string name, string authenticationKey)
    {
        var blob = ActivationBlob.Parse(Convert.FromBase64String(authenticationKey));
        var activated = await device.ActivateCredentialAsync(blob.CredentialBlob, blob.Secret);
        Assert.True(activated.ExitCode == 0, activated.Transcript);
        var writer = new TpmWriter();
        blob.ObjectPublic.WriteSized(writer);
        await device.ImportAndLoadAsync(name, writer.ToArray(), blob.Duplicate, blob.InSymSeed);
    }

    // A SAS token as the SDKs make it, its HMAC computed by TPM2_HMAC.
    private static async Task<string> SignAsync(Tpm2ToolsDevice device, string key, string resource, string? keyName)
    {
        var sr = Uri.EscapeDataString(resource);
        var se = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var sig = Convert.ToBase64String(await device.HmacAsync(key, Encoding.UTF8.GetBytes(sr + "\n" + se)));
        return $"SharedAccessSignature sr={sr}&sig={Uri.EscapeDataString(sig)}&se={se}" + (keyName is null ? "" : $"&skn={keyName}");
    }

    private static string Body(string registrationId, byte[] ek, byte[] srk) =>
        JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["registrationId"] = registrationId,
            ["tpm"] = new Dictionary<string, string> { ["endorsementKey"] = Convert.ToBase64String(ek), ["storageRootKey"] = Convert.ToBase64String(srk) },
        });
}
