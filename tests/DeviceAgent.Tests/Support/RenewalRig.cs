using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using DeviceAgent.Keys;
using DeviceAgent.Keys.Pkcs11;
using DeviceAgent.Pki.Authority;
using DeviceAgent.TestPeers;
using DeviceAgent.Tpm.Keys;
using DeviceAgent.Tpm.Transport;
using ProvisioningEndpoint.Issuance;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Tests.Support;

namespace DeviceAgent.Tests.Support;

/// <summary>
/// The peers of the renewal tests: a swtpm of its own, the endpoint as a process with an issuer
/// (its key encrypted in the data directory) and an enrollment group whose policy issues 1-day
/// leaves from it, a root, a line CA for the onboarding leaves. Dispose it.
/// </summary>
internal sealed class RenewalRig : IAsyncDisposable
{
    private readonly TestCa _root;
    private readonly TestCa _line;
    private readonly TestCa _issuer;

    private RenewalRig(TestCa root, Swtpm tpm, EndpointProcess endpoint, string directory)
    {
        _root = root;
        _line = root.IssueIntermediate("Renewal Line");
        _issuer = root.IssueIntermediate("Renewal Endpoint Issuer");
        Tpm = tpm;
        Endpoint = endpoint;
        Directory = directory;
    }

    public Swtpm Tpm { get; }

    public EndpointProcess Endpoint { get; }

    public string Directory { get; }

    public static async Task<RenewalRig> StartAsync()
    {
        var tpm = await Swtpm.StartAsync();
        var endpoint = await EndpointProcess.StartAsync();
        var rig = new RenewalRig(TestCa.CreateRoot("Renewal Root"), tpm, endpoint, System.IO.Directory.CreateTempSubdirectory("deviceagent-renewal.").FullName);
        rig.ImportIssuer("renewal-issuer");
        await endpoint.Store.UploadCaAsync("renewal-root", rig._root.Certificate, verified: true);
        await endpoint.Store.PutEnrollmentGroupAsync(new EnrollmentGroup("renewing", rig._root.Certificate.RawData, null, ProvisioningStatus.Enabled, null,
            AllocationSettings.Default, Etags.New(), DateTimeOffset.UtcNow, DateTimeOffset.UtcNow,
            new CertificateIssuancePolicy("renewal-issuer", TimeSpan.FromDays(1))), null);
        return rig;
    }

    /// <summary>
    /// A device with its onboarding key at <paramref name="handle"/> in the TPM and agent.json (telemetry every second,
    /// renewal.trust the root, a 2 s grace period). <paramref name="renewalDue"/>: the onboarding leaf is 65 minutes
    /// long with 60 gone (past its renewal point, valid 5 more minutes); else 30 days from now, or
    /// <paramref name="validity"/> when given. <paramref name="edit"/> changes agent.json before it is written.
    /// </summary>
    public async Task<string> CreateDeviceAsync(string registrationId, string handle, bool renewalDue,
        (DateTimeOffset NotBefore, DateTimeOffset NotAfter)? validity = null, Action<JsonObject>? edit = null)
    {
        var (notBefore, notAfter) = validity ?? (renewalDue
            ? (DateTimeOffset.UtcNow.AddMinutes(-60), DateTimeOffset.UtcNow.AddMinutes(5))
            : (DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(30)));
        var device = Path.Combine(Directory, registrationId);
        System.IO.Directory.CreateDirectory(device);
        var chainPath = Path.Combine(device, "onboarding.pem");
        var key = await CreateKeyAndChainAsync(registrationId, handle, notBefore, notAfter, chainPath);
        return await WriteConfigAsync(device, new JsonObject { ["tpm"] = Tpm.Spec, ["key"] = key.Text, ["chain"] = chainPath }, edit);
    }

    /// <summary>
    /// <see cref="CreateDeviceAsync"/> with the onboarding key in a PKCS#11 token (label <paramref name="registrationId"/>),
    /// the leaf past its renewal point (65 minutes long, 60 gone). Run the agent with the token's environment.
    /// </summary>
    public async Task<string> CreatePkcs11DeviceAsync(string registrationId, TokenSimulator token)
    {
        var device = Path.Combine(Directory, registrationId);
        System.IO.Directory.CreateDirectory(device);
        var chainPath = Path.Combine(device, "onboarding.pem");
        var key = KeyReference.Parse(Pkcs11Uri.ForPrivateKey(token.TokenLabel, registrationId).ToString(), token.ModulePath, PinSource.FromFile(token.PinFile));
        var publicKey = new Pkcs11KeyBackend().CreateKey(key, KeyAlgorithm.EcP256);
        await WriteChainAsync(registrationId, publicKey, DateTimeOffset.UtcNow.AddMinutes(-60), DateTimeOffset.UtcNow.AddMinutes(5), chainPath);
        return await WriteConfigAsync(device, new JsonObject { ["module"] = token.ModulePath, ["key"] = key.Text, ["pinFile"] = token.PinFile, ["chain"] = chainPath }, null);
    }

    private async Task<string> WriteConfigAsync(string device, JsonObject identity, Action<JsonObject>? edit)
    {
        var rootPath = Path.Combine(device, "root.pem");
        await File.WriteAllTextAsync(rootPath, _root.Certificate.ExportCertificatePem());
        var config = new JsonObject
        {
            ["identity"] = identity,
            ["provisioning"] = new JsonObject { ["endpoint"] = Endpoint.DeviceEndpoint, ["idScope"] = Endpoint.IdScope, ["trust"] = Endpoint.ServerCaPath },
            ["hub"] = new JsonObject { ["trust"] = Endpoint.ServerCaPath, ["telemetryIntervalSeconds"] = 1 },
            ["renewal"] = new JsonObject { ["trust"] = rootPath, ["oldKeyGracePeriod"] = "00:00:02" },
            ["stateDirectory"] = Path.Combine(device, "state"),
        };
        edit?.Invoke(config);
        var path = Path.Combine(device, "agent.json");
        await File.WriteAllTextAsync(path, config.ToJsonString());
        return path;
    }

    /// <summary>Creates a key at <paramref name="handle"/> in the TPM and writes a chain for it from the line CA; returns the key reference.</summary>
    public async Task<KeyReference> CreateKeyAndChainAsync(string registrationId, string handle, DateTimeOffset notBefore, DateTimeOffset notAfter, string chainPath)
    {
        var key = KeyReference.Parse($"tpm:handle={handle}");
        DevicePublicKey publicKey;
        using (var backend = new TpmKeyBackend(TpmSpec.Parse(Tpm.Spec)))
            publicKey = backend.CreateKey(key, KeyAlgorithm.EcP256);
        await WriteChainAsync(registrationId, publicKey, notBefore, notAfter, chainPath);
        return key;
    }

    // The onboarding leaf of a device key from the line CA, and the line CA: the bundle the agent presents.
    private async Task WriteChainAsync(string registrationId, DevicePublicKey publicKey, DateTimeOffset notBefore, DateTimeOffset notAfter, string chainPath)
    {
        var spki = PublicKey.CreateFromSubjectPublicKeyInfo(publicKey.SubjectPublicKeyInfo.Span, out _);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={registrationId}"), spki, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_line.Certificate, true, false));
        using var leaf = request.Create(_line.Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(_line.Key), notBefore, notAfter, RandomNumberGenerator.GetBytes(12));
        await File.WriteAllTextAsync(chainPath, leaf.ExportCertificatePem() + "\n" + _line.Certificate.ExportCertificatePem() + "\n");
    }

    /// <summary>
    /// Starts `deviceagent run`, waits until the hub stores new telemetry of the device (and, when given, the state
    /// file satisfies <paramref name="state"/>), stops it (exit 0); returns its output.
    /// </summary>
    public async Task<string> RunUntilTelemetryAsync(string config, string registrationId, string when, Func<JsonNode, bool>? state = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var statePath = Path.Combine(Path.GetDirectoryName(config)!, "state", "state.json");
        var before = (await Endpoint.Store.ListTelemetryAsync("hub1", registrationId, 1000)).Count;
        await using var daemon = AgentDaemon.Start(config, environment ?? new Dictionary<string, string>());
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(45);
        while ((await Endpoint.Store.ListTelemetryAsync("hub1", registrationId, 1000)).Count <= before
            || (state is not null && !(File.Exists(statePath) && state(JsonNode.Parse(await File.ReadAllTextAsync(statePath))!))))
        {
            Assert.False(daemon.Process.HasExited, $"{when}: the agent exited:\n{daemon.Output}\n--- endpoint\n{Endpoint.Output}");
            Assert.True(DateTime.UtcNow < deadline, $"{when}: no telemetry (or not the state expected) within 45 s:\n{daemon.Output}\n--- endpoint\n{Endpoint.Output}");
            await Task.Delay(200);
        }
        var (exitCode, _) = await daemon.StopAsync();
        Assert.True(exitCode == 0, $"{when}: exit {exitCode}:\n{daemon.Output}");
        return daemon.Output;
    }

    /// <summary>The SHA-1 thumbprint of the first certificate of a PEM file.</summary>
    public static string LeafThumbprint(string path)
    {
        var text = File.ReadAllText(path);
        var pem = PemEncoding.Find(text);
        using var leaf = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(text[pem.Base64Data]));
        return leaf.Thumbprint;
    }

    public async ValueTask DisposeAsync()
    {
        await Endpoint.DisposeAsync();
        Tpm.Dispose();
        _issuer.Dispose();
        _line.Dispose();
        _root.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private void ImportIssuer(string name)
    {
        File.WriteAllText(Path.Combine(Directory, $"{name}.pem"), _issuer.Certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(Directory, $"{name}.key"), _issuer.Key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(Path.Combine(Directory, $"{name}.passphrase"), "endpoint issuer passphrase\n");
        var issuers = new IssuerStore(Endpoint.DataDirectory);
        System.IO.Directory.CreateDirectory(issuers.Path);
        using var imported = CaImporter.Import(issuers.Store, new CaImportSpecification(name, Path.Combine(Directory, $"{name}.pem"), null,
            Path.Combine(Directory, $"{name}.key"), null, CaKeyLocation.EncryptedFile(SecretSource.FromFile(Path.Combine(Directory, $"{name}.passphrase")))), IssuerStore.Keys);
    }
}
