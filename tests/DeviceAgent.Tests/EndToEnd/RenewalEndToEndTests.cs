using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using DeviceAgent.Keys;
using DeviceAgent.Pki.Authority;
using DeviceAgent.TestPeers;
using DeviceAgent.Tests.Support;
using DeviceAgent.Tpm.Keys;
using DeviceAgent.Tpm.Transport;
using ProvisioningEndpoint.Issuance;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Tests.Support;

namespace DeviceAgent.Tests.EndToEnd;

/// <summary>
/// cert-renewal end to end, the key in swtpm through our stack: the onboarding leaf is valid for a few
/// more minutes and past its renewal point, the enrollment group names an issuer of the endpoint (a
/// process). `run` renews by itself over the hub while telemetry keeps flowing with no gap longer than
/// one interval plus slack; the endpoint's record shows the new thumbprint; the old key is gone from
/// the TPM after the grace period (tpm2_readpublic, the independent client). Then `renew --now` renews
/// once more, and `status --json` shows the expiry and the next renewal.
/// </summary>
public sealed class RenewalEndToEndTests : IAsyncLifetime
{
    private const string OnboardingHandle = "0x81000101";
    private readonly TestCa _root = TestCa.CreateRoot("Renewal Root");
    private TestCa _line = null!;
    private TestCa _issuer = null!;
    private EndpointProcess _endpoint = null!;
    private Swtpm _tpm = null!;
    private string _directory = null!;

    public async Task InitializeAsync()
    {
        _line = _root.IssueIntermediate("Renewal Line");
        _issuer = _root.IssueIntermediate("Renewal Endpoint Issuer");
        _tpm = await Swtpm.StartAsync();
        _endpoint = await EndpointProcess.StartAsync();
        _directory = Directory.CreateTempSubdirectory("deviceagent-renewal-e2e.").FullName;
        ImportIssuer("renewal-issuer");
        await _endpoint.Store.UploadCaAsync("renewal-root", _root.Certificate, verified: true);
        await _endpoint.Store.PutEnrollmentGroupAsync(new EnrollmentGroup("renewing", _root.Certificate.RawData, null, ProvisioningStatus.Enabled, null,
            AllocationSettings.Default, Etags.New(), DateTimeOffset.UtcNow, DateTimeOffset.UtcNow,
            new CertificateIssuancePolicy("renewal-issuer", TimeSpan.FromDays(1))), null);
    }

    public async Task DisposeAsync()
    {
        await _endpoint.DisposeAsync();
        _tpm.Dispose();
        _issuer.Dispose();
        _line.Dispose();
        _root.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Run_renews_a_leaf_about_to_expire_with_a_new_TPM_key_without_a_telemetry_gap_and_destroys_the_old_key()
    {
        const string registrationId = "renewing-device-1";
        var config = await CreateDeviceAsync(registrationId);
        var onboardingThumbprint = ChainLeafThumbprint(Path.Combine(_directory, "onboarding.pem"));

        string agentOutput;
        await using (var daemon = AgentDaemon.Start(config, new Dictionary<string, string>()))
        {
            var statePath = Path.Combine(_directory, "state", "state.json");
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            // Renewed, committed, the old key destroyed (grace period 2 s), and telemetry after it.
            while (true)
            {
                Assert.False(daemon.Process.HasExited, $"the agent exited:\n{daemon.Output}\n--- endpoint\n{_endpoint.Output}");
                Assert.True(DateTime.UtcNow < deadline, $"no renewal within 60 s:\n{daemon.Output}\n--- endpoint\n{_endpoint.Output}");
                var state = File.Exists(statePath) ? JsonNode.Parse(await File.ReadAllTextAsync(statePath)) : null;
                if (state?["credential"] is not null && state["retiredKey"] is null && state["pendingRenewal"] is null
                    && (await _endpoint.Store.ListTelemetryAsync("hub1", registrationId, 200)).Count >= 8)
                {
                    break;
                }
                await Task.Delay(250);
            }
            var (exitCode, _) = await daemon.StopAsync();
            Assert.True(exitCode == 0, $"exit {exitCode}:\n{daemon.Output}");
            agentOutput = daemon.Output;
            Assert.Contains("renewed: certificate", agentOutput, StringComparison.Ordinal);
        }

        var renewedChain = Path.Combine(_directory, "state", "chain.r2.pem");
        var renewedThumbprint = ChainLeafThumbprint(renewedChain);
        Assert.NotEqual(onboardingThumbprint, renewedThumbprint);
        var record = await _endpoint.Store.GetRegistrationAsync(registrationId);
        Assert.Equal(renewedThumbprint, record!.CertificateThumbprint, ignoreCase: true);
        var hubDevice = await _endpoint.Store.GetHubDeviceAsync("hub1", registrationId);
        Assert.Equal(renewedThumbprint, hubDevice!.PrimaryThumbprint, ignoreCase: true);
        Assert.Null(hubDevice.SecondaryThumbprint); // retired at the hub: the device connected with the new leaf

        // Telemetry never paused longer than one interval (1 s) plus slack across the switch.
        var telemetry = (await _endpoint.Store.ListTelemetryAsync("hub1", registrationId, 200)).Select(t => t.ReceivedUtc).Order().ToList();
        var longest = telemetry.Zip(telemetry.Skip(1), (a, b) => b - a).Max();
        Assert.True(longest < TimeSpan.FromSeconds(2.5), $"a telemetry gap of {longest.TotalSeconds:0.00} s: " +
            string.Join(", ", telemetry.Select(t => t.ToString("HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture))) + $"\n{agentOutput}\n--- endpoint\n{_endpoint.Output}");

        // The old key is gone from the TPM, the new one is there (tpm2-tools, not our stack).
        var old = await _tpm.RunToolAsync("tpm2_readpublic", "-c", OnboardingHandle);
        Assert.True(old.ExitCode != 0, $"the onboarding key is still in the TPM: {old.Transcript}");
        var renewed = await _tpm.RunToolAsync("tpm2_readpublic", "-c", "0x81000201");
        Assert.True(renewed.ExitCode == 0, renewed.Transcript);

        // renew --now: once more over the hub, to the other renewal handle.
        var now = await AgentProcess.RunAsync(["renew", "--now", "--config", config, "--json"]);
        Assert.True(now.ExitCode == 0, now.Transcript + "\n--- endpoint\n" + _endpoint.Output);
        using (var outcome = JsonDocument.Parse(now.StandardOutput))
        {
            Assert.Equal("hub", outcome.RootElement.GetProperty("issuedOver").GetString());
            Assert.Equal(renewedThumbprint, outcome.RootElement.GetProperty("oldThumbprint").GetString(), ignoreCase: true);
            Assert.Equal("tpm:handle=0x81000301", outcome.RootElement.GetProperty("key").GetString());
        }

        var status = await AgentProcess.RunAsync(["status", "--config", config, "--json"]);
        Assert.True(status.ExitCode == 0, status.Transcript);
        using (var report = JsonDocument.Parse(status.StandardOutput))
        {
            var renewal = report.RootElement.GetProperty("renewal");
            Assert.Equal(3, renewal.GetProperty("generation").GetInt32());
            Assert.Equal("notYet", renewal.GetProperty("due").GetString());
            var notAfter = renewal.GetProperty("notAfter").GetDateTimeOffset();
            var next = renewal.GetProperty("nextRenewal").GetDateTimeOffset();
            Assert.InRange(notAfter, DateTimeOffset.UtcNow.AddHours(23), DateTimeOffset.UtcNow.AddHours(25));
            Assert.InRange(next, DateTimeOffset.UtcNow.AddHours(16), DateTimeOffset.UtcNow.AddHours(22));
        }
    }

    private void ImportIssuer(string name)
    {
        File.WriteAllText(Path.Combine(_directory, $"{name}.pem"), _issuer.Certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(_directory, $"{name}.key"), _issuer.Key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(Path.Combine(_directory, $"{name}.passphrase"), "endpoint issuer passphrase\n");
        var issuers = new IssuerStore(_endpoint.DataDirectory);
        Directory.CreateDirectory(issuers.Path);
        using var imported = CaImporter.Import(issuers.Store, new CaImportSpecification(name, Path.Combine(_directory, $"{name}.pem"), null,
            Path.Combine(_directory, $"{name}.key"), null, CaKeyLocation.EncryptedFile(SecretSource.FromFile(Path.Combine(_directory, $"{name}.passphrase")))), IssuerStore.Keys);
    }

    // The onboarding leaf: 65 minutes long, 60 of them gone, so its renewal point (70-90%) has passed.
    private async Task<string> CreateDeviceAsync(string registrationId)
    {
        var key = KeyReference.Parse($"tpm:handle={OnboardingHandle}");
        DevicePublicKey publicKey;
        using (var backend = new TpmKeyBackend(TpmSpec.Parse(_tpm.Spec)))
            publicKey = backend.CreateKey(key, KeyAlgorithm.EcP256);
        var spki = PublicKey.CreateFromSubjectPublicKeyInfo(publicKey.SubjectPublicKeyInfo.Span, out _);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={registrationId}"), spki, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_line.Certificate, true, false));
        using var leaf = request.Create(_line.Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(_line.Key),
            DateTimeOffset.UtcNow.AddMinutes(-60), DateTimeOffset.UtcNow.AddMinutes(5), RandomNumberGenerator.GetBytes(12));
        var chainPath = Path.Combine(_directory, "onboarding.pem");
        await File.WriteAllTextAsync(chainPath, leaf.ExportCertificatePem() + "\n" + _line.Certificate.ExportCertificatePem() + "\n");
        var rootPath = Path.Combine(_directory, "root.pem");
        await File.WriteAllTextAsync(rootPath, _root.Certificate.ExportCertificatePem());
        var config = new JsonObject
        {
            ["identity"] = new JsonObject { ["tpm"] = _tpm.Spec, ["key"] = key.Text, ["chain"] = chainPath },
            ["provisioning"] = new JsonObject { ["endpoint"] = _endpoint.DeviceEndpoint, ["idScope"] = _endpoint.IdScope, ["trust"] = _endpoint.ServerCaPath },
            ["hub"] = new JsonObject { ["trust"] = _endpoint.ServerCaPath, ["telemetryIntervalSeconds"] = 1 },
            ["renewal"] = new JsonObject { ["trust"] = rootPath, ["oldKeyGracePeriod"] = "00:00:02" },
            ["stateDirectory"] = Path.Combine(_directory, "state"),
        };
        var path = Path.Combine(_directory, "agent.json");
        await File.WriteAllTextAsync(path, config.ToJsonString());
        return path;
    }

    private static string ChainLeafThumbprint(string path)
    {
        using var leaf = X509CertificateLoader.LoadCertificate(PemEncoding.Find(File.ReadAllText(path)) is var pem
            ? Convert.FromBase64String(File.ReadAllText(path)[pem.Base64Data]) : []);
        return leaf.Thumbprint;
    }
}
