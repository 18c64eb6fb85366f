using System.Text.Json;
using DeviceAgent.TestPeers;
using Factory.Tests.Support;
using ProvisioningEndpoint.Model;

namespace Factory.Tests.Fvt;

/// <summary>
/// The management commands against a real provisioning endpoint: proof of possession with the CA
/// key in SoftHSM2, groups refused until the CA is verified, a device registering through the
/// group with the agent's DPS client and listed by the group; deletes that would let a device
/// re-enroll through an enabled group higher up are named and need --yes; hub devices disabled and
/// deleted; idempotent reruns.
/// </summary>
[Collection(FactoryPeers.Name)]
public sealed class ManagementTests(TokenSimulators tokens) : IAsyncLifetime
{
    private readonly Workspace _workspace = new(tokens);
    private LocalEndpoint _endpoint = null!;

    public async Task InitializeAsync()
    {
        _endpoint = await LocalEndpoint.StartAsync();
        await Bringup.SucceedsAsync(_workspace, ["ca", "create-root", "--name", "root", "--subject", "CN=Management Root CA", .. _workspace.HsmKey("mgmt-root")]);
        await Bringup.SucceedsAsync(_workspace, ["ca", "create-intermediate", "--name", "line", "--issuer", "root", "--subject", "CN=Management Line CA", .. _workspace.FileKey()]);
    }

    public async Task DisposeAsync()
    {
        await _endpoint.DisposeAsync();
        _workspace.Dispose();
    }

    [Fact]
    public async Task Upload_verify_with_the_HSM_key_create_a_group_and_the_device_that_registers_is_listed_with_its_hub()
    {
        var chain = await IssueDeviceAsync("device-1");
        Assert.Equal("uploaded", (await JsonAsync("ca", "upload", "--ca", "root")).GetProperty("outcome").GetString());
        Assert.Equal("already-uploaded", (await JsonAsync("ca", "upload", "--ca", "root")).GetProperty("outcome").GetString());

        var refused = await RunAsync("enrollment-group", "create", "--id", "line", "--ca", "line");
        Assert.True(refused.ExitCode == 1, refused.Transcript);
        Assert.Contains("is not verified and does not roll up to a verified CA certificate", refused.StandardError, StringComparison.Ordinal);
        Assert.Contains("hint: prove possession of the CA first: bringup ca upload --ca NAME, then bringup ca verify --ca NAME", refused.StandardError, StringComparison.Ordinal);

        var verified = await JsonAsync("ca", "verify", "--ca", "root");
        Assert.Equal("verified", verified.GetProperty("outcome").GetString());
        Assert.True(verified.GetProperty("verified").GetBoolean());
        Assert.True((await _endpoint.Store.GetCertificateAsync("root"))!.IsVerified);
        Assert.Equal("already-verified", (await JsonAsync("ca", "verify", "--ca", "root")).GetProperty("outcome").GetString());

        Assert.Equal("created", (await JsonAsync("enrollment-group", "create", "--id", "line", "--ca", "line")).GetProperty("outcome").GetString());
        var listed = (await JsonAsync("ca", "list")).GetProperty("certificates").EnumerateArray().Single();
        Assert.Equal("root", listed.GetProperty("localCa").GetString());

        var (result, refusal) = await _endpoint.RegisterAsync("device-1", chain, _workspace.In("device-1.key"));
        Assert.True(result is not null, refusal);
        var devices = (await JsonAsync("enrollment-group", "devices", "--id", "line")).GetProperty("devices").EnumerateArray().ToList();
        Assert.Equal("device-1", Assert.Single(devices).GetProperty("registrationId").GetString());
        Assert.Equal(result.AssignedHub, devices[0].GetProperty("assignedHub").GetString());

        var quiet = await JsonAsync("hub", "device", "telemetry", "--device-id", "device-1");
        Assert.Empty(quiet.GetProperty("messages").EnumerateArray());
        await _endpoint.SendTelemetryAsync("device-1", chain, _workspace.In("device-1.key"), "temperature=21", """{"t":21.5}""");
        var telemetry = await JsonAsync("hub", "device", "telemetry", "--device-id", "device-1", "--limit", "5");
        var message = Assert.Single(telemetry.GetProperty("messages").EnumerateArray());
        Assert.Equal("""{"t":21.5}""", message.GetProperty("text").GetString());
        Assert.Equal("21", message.GetProperty("properties").GetProperty("temperature").GetString());
        var outOfRange = await RunAsync("hub", "device", "telemetry", "--device-id", "device-1", "--limit", "0");
        Fails(outOfRange, 2, "--limit 0 is out of range");
        var shown = await RunAsync("enrollment-group", "show", "--id", "line");
        Assert.Contains("CN=Management Line CA", shown.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_an_entry_that_an_enabled_group_above_would_replace_names_it_and_needs_yes()
    {
        var chain = await IssueDeviceAsync("device-3");
        await VerifiedRootAsync();
        await Bringup.SucceedsAsync(_workspace, ["enrollment-group", "create", "--id", "root-group", "--ca", "root", .. _endpoint.Trust], _endpoint.Environment);
        await Bringup.SucceedsAsync(_workspace, ["enrollment-group", "create", "--id", "line-group", "--ca", "line", .. _endpoint.Trust], _endpoint.Environment);
        await Bringup.SucceedsAsync(_workspace, ["enrollment", "create", "--registration-id", "device-3", "--cert", chain, "--disabled", .. _endpoint.Trust], _endpoint.Environment);
        Assert.NotNull((await _endpoint.RegisterAsync("device-3", chain, _workspace.In("device-3.key"))).Refusal);

        var unconfirmed = await RunAsync("enrollment", "delete", "--registration-id", "device-3");
        Assert.True(unconfirmed.ExitCode == 2, unconfirmed.Transcript);
        Assert.Contains("warning: deleting individual enrollment 'device-3' lets device 'device-3' enroll again through enrollment group 'line-group', which is enabled",
            unconfirmed.StandardError, StringComparison.Ordinal);
        Assert.Contains("hint: to keep device 'device-3' out, disable it instead", unconfirmed.StandardError, StringComparison.Ordinal);
        Assert.NotNull(await _endpoint.Store.GetIndividualEnrollmentAsync("device-3"));

        var confirmed = await JsonAsync("enrollment", "delete", "--registration-id", "device-3", "--yes");
        Assert.Equal("deleted", confirmed.GetProperty("outcome").GetString());
        Assert.Contains("'line-group'", confirmed.GetProperty("warnings")[0].GetString(), StringComparison.Ordinal);
        Assert.NotNull((await _endpoint.RegisterAsync("device-3", chain, _workspace.In("device-3.key"))).Result); // as DPS documents: it re-enrolled

        var groupDelete = await RunAsync("enrollment-group", "delete", "--id", "line-group");
        Assert.True(groupDelete.ExitCode == 2, groupDelete.Transcript);
        Assert.Contains("lets its devices enroll again through enrollment group 'root-group'", groupDelete.StandardError, StringComparison.Ordinal);

        Assert.Equal("disabled", (await JsonAsync("enrollment-group", "disable", "--id", "root-group")).GetProperty("outcome").GetString());
        Assert.Equal("already-disabled", (await JsonAsync("enrollment-group", "disable", "--id", "root-group")).GetProperty("outcome").GetString());
        var safeDelete = await RunAsync("enrollment-group", "delete", "--id", "line-group");
        Assert.True(safeDelete.ExitCode == 0, safeDelete.Transcript);
        Assert.Contains("enrollment group 'root-group' higher up the chain is disabled: its devices stay refused", safeDelete.StandardError, StringComparison.Ordinal);
        Assert.Equal("already-deleted", (await JsonAsync("enrollment-group", "delete", "--id", "line-group")).GetProperty("outcome").GetString());
        Assert.Equal("enabled", (await JsonAsync("enrollment-group", "enable", "--id", "root-group")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Hub_devices_are_listed_disabled_and_deleted_idempotently()
    {
        await _endpoint.Registry.CreateAsync("hub1", "device-7", new string('A', 40), null, CancellationToken.None);
        await _endpoint.Registry.CreateAsync("hub1", "device-8", new string('B', 40), null, CancellationToken.None);

        var devices = (await JsonAsync("hub", "device", "list")).GetProperty("devices").EnumerateArray().Select(d => d.GetProperty("deviceId").GetString());
        Assert.Equal(["device-7", "device-8"], devices);
        Assert.Equal("disabled", (await JsonAsync("hub", "device", "disable", "--device-id", "device-7")).GetProperty("status").GetString());
        Assert.Equal(HubDeviceStatus.Disabled, (await _endpoint.Store.GetHubDeviceAsync("hub1", "device-7"))!.Status);
        Assert.Equal("already-disabled", (await JsonAsync("hub", "device", "disable", "--device-id", "device-7", "--hub", "hub1")).GetProperty("outcome").GetString());
        Assert.Equal("deleted", (await JsonAsync("hub", "device", "delete", "--device-id", "device-8")).GetProperty("outcome").GetString());
        Assert.Null(await _endpoint.Store.GetHubDeviceAsync("hub1", "device-8"));
        Assert.Equal("already-deleted", (await JsonAsync("hub", "device", "delete", "--device-id", "device-8")).GetProperty("outcome").GetString());
        var missing = await RunAsync("hub", "device", "disable", "--device-id", "device-9");
        Assert.True(missing.ExitCode == 1, missing.Transcript);
        Assert.Contains("has device 'device-9'", missing.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_or_wrong_connection_settings_and_bad_options_fail_with_what_to_do()
    {
        var none = await Bringup.RunAsync(_workspace, "ca", "list");
        Fails(none, 2, "no connection string: pass --connection-string or set PROVISIONING_CONNECTION_STRING", "hint: provisioning-endpoint info");

        var malformed = await Bringup.RunAsync(_workspace, "ca", "list", "--connection-string", "HostName=localhost:1");
        Fails(malformed, 2, "the connection string has no SharedAccessKeyName");

        var forged = _endpoint.Environment["PROVISIONING_CONNECTION_STRING"].Split("SharedAccessKey=")[0] + "SharedAccessKey=" + Convert.ToBase64String(new byte[32]);
        var unauthorized = await Bringup.RunAsync(_workspace, null, ["ca", "list", "--connection-string", forged, .. _endpoint.Trust]);
        Fails(unauthorized, 1, "the service refused the credentials", "hint: check the connection string");
        Assert.DoesNotContain(Convert.ToBase64String(new byte[32]), unauthorized.StandardError + unauthorized.StandardOutput, StringComparison.Ordinal);

        var untrusted = await Bringup.RunAsync(_workspace, _endpoint.Environment, "ca", "list");
        Fails(untrusted, 1, "is not trusted by the system trust store", "hint: pass --trust with the endpoint's server CA");

        var noTrustFile = await Bringup.RunAsync(_workspace, _endpoint.Environment, "ca", "list", "--trust", _workspace.In("missing.pem"));
        Fails(noTrustFile, 2, "--trust: Could not find file", "hint: name the endpoint's server CA file");

        var both = await RunAsync("enrollment-group", "create", "--id", "g", "--ca", "root", "--cert", "x.pem");
        Fails(both, 2, "--ca NAME (a CA of the store) or --cert FILE, one of them");

        var wrongCn = await RunAsync("enrollment", "create", "--registration-id", "device-1", "--cert", _workspace.In("ca", "line", "certificate.pem"));
        Fails(wrongCn, 2, "--cert has subject CN 'Management Line CA', not the registration id 'device-1'");

        var unknown = await RunAsync("enrollment-group", "show", "--id", "nope", "--json");
        Fails(unknown, 1, "there is no enrollment group 'nope'");
        Assert.Equal("endpoint.not-found", JsonDocument.Parse(unknown.StandardOutput).RootElement.GetProperty("error").GetProperty("kind").GetString());
    }

    private Task<ProcessResult> RunAsync(params string[] arguments) =>
        Bringup.RunAsync(_workspace, _endpoint.Environment, [.. arguments, .. _endpoint.Trust]);

    private async Task<JsonElement> JsonAsync(params string[] arguments)
    {
        var result = await Bringup.SucceedsAsync(_workspace, [.. arguments, "--json", .. _endpoint.Trust], _endpoint.Environment);
        return JsonDocument.Parse(result.StandardOutput).RootElement.Clone();
    }

    // A device key (openssl, software) and its certificate from the line CA; returns chain.pem.
    private async Task<string> IssueDeviceAsync(string registrationId)
    {
        var csr = await Requests.CreateAsync(_workspace, registrationId, registrationId);
        await Bringup.SucceedsAsync(_workspace, ["device", "issue", "--csr", csr, "--issuer", "line", "--out", $"out/{registrationId}"]);
        return _workspace.In("out", registrationId, "chain.pem");
    }

    // The root verified on the endpoint (ca upload + ca verify are proven by the first test).
    private async Task VerifiedRootAsync()
    {
        await Bringup.SucceedsAsync(_workspace, ["ca", "verify", "--ca", "root", .. _endpoint.Trust], _endpoint.Environment);
    }

    private static void Fails(ProcessResult result, int exitCode, params string[] stderr)
    {
        Assert.True(result.ExitCode == exitCode, result.Transcript);
        foreach (var text in stderr)
            Assert.Contains(text, result.StandardError, StringComparison.Ordinal);
    }
}
