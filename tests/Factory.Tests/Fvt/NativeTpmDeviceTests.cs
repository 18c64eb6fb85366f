using System.Security.Cryptography;
using DeviceAgent.TestPeers;
using Factory.Tests.Support;

namespace Factory.Tests.Fvt;

/// <summary>
/// Real-peer tier: <c>bringup device create --tpm swtpm:... --key tpm:handle=0x81000101</c> makes the
/// device key inside a swtpm through our TPM stack (no PKCS#11, no abrmd) and attests it before the
/// leaf is issued (the EK certificate swtpm_setup --create-ek-cert made chains to --ek-ca);
/// tpm2_readpublic, an independent client, sees the key and Name the leaf and the log certify, and
/// tpm2_create makes the duplicable key that is refused.
/// </summary>
[Collection(FactoryPeers.Name)]
public sealed class NativeTpmDeviceTests(TokenSimulators tokens)
{
    [Fact]
    public async Task Device_key_made_in_the_tpm_is_attested_to_the_ek_root_before_its_leaf_is_issued_and_inspect_shows_it()
    {
        using var workspace = new Workspace(tokens);
        using var swtpm = await Swtpm.StartAsync(createEkCertificate: true);
        await Hierarchy(workspace);
        // What a TPM vendor publishes: its EK root CA and the issuing CA.
        var ekCa = workspace.File("ek-ca.pem", await File.ReadAllTextAsync(swtpm.EkRootCertificate!)
            + await File.ReadAllTextAsync(swtpm.EkIssuerCertificate!));

        // A duplicable key tpm2_create made (no fixedTPM|fixedParent), persisted where a device key would be.
        await swtpm.PersistDuplicableKeyAsync(0x81000102);
        var duplicable = await Bringup.RunAsync(workspace, [.. Create(swtpm, "0x81000102", "device-dup"), "--ek-ca", ekCa, "--json"]);
        Assert.Equal(1, duplicable.ExitCode);
        Assert.Contains("\"kind\": \"attestation.attributes-wrong\"", duplicable.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("fixedTPM is clear: the key can be duplicated to another TPM", duplicable.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(workspace.In("device-dup", "chain.pem")));

        var output = workspace.In("device-tpm");
        var created = await Bringup.SucceedsAsync(workspace, [.. Create(swtpm, "0x81000101", "device-tpm"), "--ek-ca", ekCa]);
        Assert.Contains("attestation  verified (tpm2-certify)", created.StandardOutput, StringComparison.Ordinal);

        var pem = Path.Combine(swtpm.Directory, "device.pem");
        var read = await swtpm.RunToolAsync("tpm2_readpublic", "-c", "0x81000101", "-f", "pem", "-o", pem);
        Assert.True(read.ExitCode == 0, read.Transcript);
        Assert.Contains("raw: 0x40072", read.StandardOutput, StringComparison.Ordinal);
        using var tpmKey = ECDsa.Create();
        tpmKey.ImportFromPem(await File.ReadAllTextAsync(pem));
        using var leaf = Pem.Certificate(Path.Combine(output, "chain.pem"));
        Assert.Equal("CN=device-tpm", leaf.Subject);
        Assert.Equal(tpmKey.ExportSubjectPublicKeyInfo(), leaf.PublicKey.ExportSubjectPublicKeyInfo());
        // The certified Name is the one tpm2_readpublic computes for the key.
        var name = read.StandardOutput.Split('\n').First(l => l.StartsWith("name:", StringComparison.Ordinal))["name:".Length..].Trim();

        var log = await File.ReadAllLinesAsync(workspace.In("ca", "line", "issued.jsonl"));
        var record = Assert.Single(log, l => l.Contains("\"registrationId\":\"device-tpm\"", StringComparison.Ordinal));
        Assert.Contains("\"keyAttestation\":{\"status\":\"verified\",\"method\":\"tpm2-certify\"", record, StringComparison.Ordinal);
        Assert.Contains($"\"certifiedName\":\"{name.ToUpperInvariant()}\"", record, StringComparison.Ordinal);
        Assert.DoesNotContain(log, l => l.Contains("device-dup", StringComparison.Ordinal) || l.Contains("device-untrusted", StringComparison.Ordinal));

        var inspect = await Bringup.SucceedsAsync(workspace, ["inspect", Path.Combine(output, "chain.pem"), "--ca-dir", workspace.CaDirectory]);
        Assert.Contains("issuance (CA store", inspect.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("attestation  verified (tpm2-certify): made in the TPM and non-duplicable", inspect.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("chains to \"CN=swtpm-localca-rootca\"", inspect.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tpm_key_without_an_ek_certificate_needs_no_key_attestation_said_aloud_and_the_log_records_it()
    {
        using var workspace = new Workspace(tokens);
        using var swtpm = await Swtpm.StartAsync();
        await Hierarchy(workspace);

        var unasked = await Bringup.RunAsync(workspace, Create(swtpm, "0x81000101", "device-plain"));
        Assert.Equal(2, unasked.ExitCode);
        Assert.Contains("--ek-ca FILE", unasked.StandardError, StringComparison.Ordinal);
        Assert.Contains("--no-key-attestation", unasked.StandardError, StringComparison.Ordinal);

        // (A TPM with no EK certificate under --ek-ca fails with attestation.no-ek-certificate: KeyAttestorTests.)
        var skipped = await Bringup.SucceedsAsync(workspace, [.. Create(swtpm, "0x81000101", "device-plain"), "--no-key-attestation"]);
        Assert.Contains("is not attested (--no-key-attestation)", skipped.StandardError, StringComparison.Ordinal);
        var record = Assert.Single(await File.ReadAllLinesAsync(workspace.In("ca", "line", "issued.jsonl")), l => l.Contains("device-plain", StringComparison.Ordinal));
        Assert.Contains("\"keyAttestation\":{\"status\":\"skipped\",\"method\":\"none\",\"reason\":\"--no-key-attestation\"}", record, StringComparison.Ordinal);
        var inspect = await Bringup.SucceedsAsync(workspace, ["inspect", workspace.In("device-plain", "chain.pem"), "--ca-dir", workspace.CaDirectory]);
        Assert.Contains("attestation  skipped (--no-key-attestation): nothing proved that the TPM made this key", inspect.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tpm_that_is_not_there_fails_with_what_to_start()
    {
        using var workspace = new Workspace(tokens);
        await Bringup.SucceedsAsync(workspace, ["ca", "create-root", "--name", "root", "--subject", "CN=Native TPM Root", "--path-length", "1", .. workspace.FileKey()]);
        var port = FreePort.Next();
        var result = await Bringup.RunAsync(workspace, ["device", "create", "--tpm", $"swtpm:port={port}", "--key", "tpm:handle=0x81000101",
            "--registration-id", "device-none", "--issuer", "root", "--out", workspace.In("none"), "--no-key-attestation"]);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"no TPM simulator at 127.0.0.1:{port}", result.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(workspace.In("none")) && Directory.EnumerateFiles(workspace.In("none")).Any());
    }

    private static async Task Hierarchy(Workspace workspace)
    {
        await Bringup.SucceedsAsync(workspace, ["ca", "create-root", "--name", "root", "--subject", "CN=Native TPM Root", "--path-length", "1", .. workspace.FileKey()]);
        await Bringup.SucceedsAsync(workspace, ["ca", "create-intermediate", "--name", "line", "--issuer", "root", "--subject", "CN=Line", .. workspace.FileKey()]);
    }

    private static string[] Create(Swtpm swtpm, string handle, string id) =>
        ["device", "create", "--tpm", swtpm.Spec, "--key", $"tpm:handle={handle}", "--registration-id", id, "--issuer", "line", "--out", $"{id}"];
}
