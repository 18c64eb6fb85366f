using System.Net;
using System.Security.Cryptography;
using DeviceAgent.Tpm.Constants;
using DeviceAgent.Tpm.Credentials;
using DeviceAgent.Tpm.Structures;
using ProvisioningEndpoint.Rest.Auth;
using ProvisioningEndpoint.Tests.Support;

namespace ProvisioningEndpoint.Tests.Device.Https;

/// <summary>
/// DPS's TPM attestation over HTTPS: the enrollment through the REST service API, the 401
/// challenge in DPS's layout, the registration SAS, the hub key in registrationState.tpm, and the
/// refusals (unknown id or EK, a SAS that does not verify, MQTT). The key the TPM would recover is
/// read from the store here; ActivationBlobTpm2ToolsTests proves a real TPM recovers it.
/// </summary>
public sealed class TpmRegistrationTests : IClassFixture<SharedEndpoint>
{
    private readonly SharedEndpoint _shared;

    public TpmRegistrationTests(SharedEndpoint shared) => _shared = shared;

    [Fact]
    public async Task Challenge_then_SAS_assigns_the_device_and_delivers_its_hub_key_as_an_activation_blob()
    {
        var (ek, srk) = (StorageKey(), StorageKey());
        await EnrollAsync("tpm-1", ek);
        using var device = new DeviceHttpsClient(_shared.Endpoint);
        var body = Body("tpm-1", ek, srk);

        var challenge = await device.RegisterAsync("tpm-1", body);

        Assert.True(challenge.Status == HttpStatusCode.Unauthorized, challenge.ToString());
        Assert.Equal("registration", challenge.Json.GetProperty("keyName").GetString());
        var blob = ActivationBlob.Parse(Convert.FromBase64String(challenge.Json.GetProperty("authenticationKey").GetString()!));
        Assert.Equal(TpmAlgId.KeyedHash, blob.ObjectPublic.Type);
        var key = (await _shared.Endpoint.Store.GetTpmRegistrationAsync("tpm-1"))!.RegistrationKey;
        var sas = Sas("tpm-1", key);

        var accepted = await device.RegisterAsync("tpm-1", body, sas);
        Assert.True(accepted.Status == HttpStatusCode.Accepted, accepted.ToString());
        var status = await device.PollAsync("tpm-1", accepted.Json.GetProperty("operationId").GetString()!, sas);

        Assert.True(status.Status == HttpStatusCode.OK, status.ToString());
        Assert.Equal("assigned", status.Json.GetProperty("status").GetString());
        var hubBlob = status.Json.GetProperty("registrationState").GetProperty("tpm").GetProperty("authenticationKey").GetString()!;
        ActivationBlob.Parse(Convert.FromBase64String(hubBlob));
        Assert.NotNull(await _shared.Endpoint.Store.GetHubDeviceKeyAsync("hub1", "tpm-1"));
        var unsigned = await device.PollAsync("tpm-1", accepted.Json.GetProperty("operationId").GetString()!);
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.Status);
    }

    [Fact]
    public async Task Unknown_registration_id_another_EK_and_a_SAS_that_does_not_verify_are_401()
    {
        var (ek, srk) = (StorageKey(), StorageKey());
        await EnrollAsync("tpm-2", ek);
        using var device = new DeviceHttpsClient(_shared.Endpoint);

        var unknown = await device.RegisterAsync("tpm-nobody", Body("tpm-nobody", ek, srk));
        var otherEk = await device.RegisterAsync("tpm-2", Body("tpm-2", StorageKey(), srk));
        await device.RegisterAsync("tpm-2", Body("tpm-2", ek, srk));
        var wrongKey = await device.RegisterAsync("tpm-2", Body("tpm-2", ek, srk), Sas("tpm-2", RandomNumberGenerator.GetBytes(32)));

        Assert.Equal(HttpStatusCode.Unauthorized, unknown.Status);
        Assert.Contains("no TPM individual enrollment", unknown.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, otherEk.Status);
        Assert.Contains("endorsement key is not the one", otherEk.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.Status);
        Assert.Contains("does not verify", wrongKey.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_disabled_TPM_enrollment_ends_disabled_after_the_device_proved_itself()
    {
        var (ek, srk) = (StorageKey(), StorageKey());
        await EnrollAsync("tpm-3", ek, "disabled");
        using var device = new DeviceHttpsClient(_shared.Endpoint);
        await device.RegisterAsync("tpm-3", Body("tpm-3", ek, srk));
        var sas = Sas("tpm-3", (await _shared.Endpoint.Store.GetTpmRegistrationAsync("tpm-3"))!.RegistrationKey);

        var accepted = await device.RegisterAsync("tpm-3", Body("tpm-3", ek, srk), sas);
        var status = await device.PollAsync("tpm-3", accepted.Json.GetProperty("operationId").GetString()!, sas);

        Assert.Equal("disabled", status.Json.GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_REST_API_keeps_a_TPM_enrollment_as_the_service_SDK_sends_it_and_refuses_a_bad_endorsement_key()
    {
        var ek = StorageKey();
        await EnrollAsync("tpm-4", ek);

        var read = await _shared.Provisioning.GetAsync("/enrollments/tpm-4?api-version=2021-10-01");
        var bad = await _shared.Provisioning.PutAsync("/enrollments/tpm-5?api-version=2021-10-01",
            """{"registrationId":"tpm-5","attestation":{"type":"tpm","tpm":{"endorsementKey":"AAAA"}}}""");

        Assert.True(read.Status == HttpStatusCode.OK, read.ToString());
        var attestation = read.Json.GetProperty("attestation");
        Assert.Equal("tpm", attestation.GetProperty("type").GetString());
        Assert.Equal(Convert.ToBase64String(Sized(ek)), attestation.GetProperty("tpm").GetProperty("endorsementKey").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.Contains("attestation.tpm.endorsementKey", bad.Message, StringComparison.Ordinal);
    }

    private async Task EnrollAsync(string registrationId, TpmtPublic ek, string status = "enabled")
    {
        var put = await _shared.Provisioning.PutAsync($"/enrollments/{registrationId}?api-version=2021-10-01",
            "{\"registrationId\":\"" + registrationId + "\",\"provisioningStatus\":\"" + status
            + "\",\"attestation\":{\"type\":\"tpm\",\"tpm\":{\"endorsementKey\":\"" + Convert.ToBase64String(Sized(ek)) + "\"}}}");
        Assert.True(put.Status == HttpStatusCode.OK, put.ToString());
    }

    private string Sas(string registrationId, byte[] key) =>
        SharedAccessSignature.Create($"{_shared.Endpoint.Configuration.IdScope}/registrations/{registrationId}", "registration", key, DateTimeOffset.UtcNow.AddHours(1));

    private static string Body(string registrationId, TpmtPublic ek, TpmtPublic srk) =>
        "{\"registrationId\":\"" + registrationId + "\",\"tpm\":{\"endorsementKey\":\"" + Convert.ToBase64String(Sized(ek))
        + "\",\"storageRootKey\":\"" + Convert.ToBase64String(Sized(srk)) + "\"}}";

    private static byte[] Sized(TpmtPublic key)
    {
        var writer = new DeviceAgent.Tpm.Marshalling.TpmWriter();
        key.WriteSized(writer);
        return writer.ToArray();
    }

    private static TpmtPublic StorageKey()
    {
        using var rsa = RSA.Create(2048);
        return new TpmtPublic(TpmAlgId.Sha256,
            TpmaObject.Restricted | TpmaObject.Decrypt | TpmaObject.FixedTpm | TpmaObject.FixedParent | TpmaObject.SensitiveDataOrigin | TpmaObject.UserWithAuth,
            ReadOnlyMemory<byte>.Empty, new TpmsRsaParms(TpmtSymDefObject.Aes128Cfb, TpmtScheme.Null, 2048), new Tpm2bPublicId(rsa.ExportParameters(false).Modulus));
    }
}
