using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DeviceAgent.TestPeers;
using DeviceAgent.Tests.Support;

namespace DeviceAgent.Tests.EndToEnd;

/// <summary>
/// cert-renewal end to end with the key in a PKCS#11 token (SoftHSM2), beside the swtpm one
/// (<see cref="RenewalEndToEndTests"/>): the onboarding leaf is past its renewal point, `run` renews by itself
/// with a new token object (label + ".r2"), telemetry goes on, the endpoint's record and the hub show the new
/// thumbprint, and after the grace period the old object is gone from the token (pkcs11-tool, the independent client).
/// </summary>
[Collection(TokenPeers.Name)]
public sealed class Pkcs11RenewalEndToEndTests(TokenSimulators tokens) : IAsyncLifetime
{
    private const string RegistrationId = "pkcs11-renewing-device-1";
    private RenewalRig _rig = null!;

    public async Task InitializeAsync() => _rig = await RenewalRig.StartAsync();

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    [Fact]
    public async Task Run_renews_with_a_new_token_object_and_destroys_the_old_one()
    {
        var token = tokens.SoftHsm;
        var config = await _rig.CreatePkcs11DeviceAsync(RegistrationId, token);
        var onboarding = RenewalRig.LeafThumbprint(Path.Combine(Path.GetDirectoryName(config)!, "onboarding.pem"));

        var output = await _rig.RunUntilTelemetryAsync(config, RegistrationId, "renewing in SoftHSM2",
            state => state["credential"] is not null && state["retiredKey"] is null && state["pendingRenewal"] is null, token.Environment);

        Assert.Contains("renewed: certificate", output, StringComparison.Ordinal);
        var state = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Path.GetDirectoryName(config)!, "state", "state.json")))!;
        Assert.Contains($"object={RegistrationId}.r2", state["credential"]!["key"]!.GetValue<string>(), StringComparison.Ordinal);
        var renewed = state["certificateThumbprint"]!.GetValue<string>();
        Assert.NotEqual(onboarding, renewed, StringComparer.OrdinalIgnoreCase);
        Assert.Equal(renewed, (await _rig.Endpoint.Store.GetRegistrationAsync(RegistrationId))!.CertificateThumbprint, ignoreCase: true);
        Assert.Equal(renewed, (await _rig.Endpoint.Store.GetHubDeviceAsync("hub1", RegistrationId))!.PrimaryThumbprint, ignoreCase: true);

        var objects = await ExternalProcess.RunAsync("pkcs11-tool",
            ["--module", token.ModulePath, "--token-label", token.TokenLabel, "--login", "--pin", (await File.ReadAllTextAsync(token.PinFile)).Trim(), "--list-objects", "--type", "privkey"],
            token.Environment, TimeSpan.FromSeconds(30));
        Assert.True(objects.ExitCode == 0, objects.Transcript);
        var labels = Regex.Matches(objects.StandardOutput, @"^\s*label:\s*(\S+)\s*$", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        Assert.Contains($"{RegistrationId}.r2", labels);
        Assert.DoesNotContain(RegistrationId, labels); // the onboarding object, destroyed after the grace period

        // A restart goes on with the renewed object.
        await _rig.RunUntilTelemetryAsync(config, RegistrationId, "restarted after the renewal", environment: token.Environment);
    }
}
