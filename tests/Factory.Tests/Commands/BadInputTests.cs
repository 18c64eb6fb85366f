using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DeviceAgent.TestPeers;
using Factory.Tests.Support;

namespace Factory.Tests.Commands;

/// <summary>
/// Bad input gets its specific error on stderr ("bringup: error: ..." and a hint), the documented
/// exit code, and leaves nothing behind: no output file, no CA, no log line.
/// </summary>
[Collection(FactoryPeers.Name)]
public sealed class BadInputTests(TokenSimulators tokens)
{
    [Fact]
    public async Task A_wrong_passphrase_for_a_CA_key_file_fails_and_writes_nothing()
    {
        using var workspace = new Workspace(tokens);
        await Bringup.SucceedsAsync(workspace, ["ca", "create-root", "--name", "root", "--subject", "CN=File Root", .. workspace.FileKey()]);
        File.WriteAllText(workspace.PassphraseFile, "not the passphrase\n");
        var csr = await Requests.CreateAsync(workspace, "device-1", "device-1");

        var result = await Bringup.RunAsync(workspace, "device", "issue", "--csr", csr, "--issuer", "root", "--out", "out/device-1");

        Fails(result, 1, "could not be decrypted: the passphrase is wrong", "hint: check the passphrase or PIN");
        Assert.DoesNotContain("not the passphrase", result.StandardError + result.StandardOutput, StringComparison.Ordinal);
        Assert.Empty(workspace.FilesUnder("out"));
        Assert.Single(File.ReadAllLines(workspace.In("ca", "root", "issued.jsonl")));
    }

    [Fact]
    public async Task A_missing_issuer_is_a_usage_error_naming_the_CAs_there_are()
    {
        using var workspace = new Workspace(tokens);
        await Bringup.SucceedsAsync(workspace, ["ca", "create-root", "--name", "root", "--subject", "CN=Only Root", .. workspace.HsmKey("only-root")]);
        var csr = await Requests.CreateAsync(workspace, "device-1", "device-1");

        var result = await Bringup.RunAsync(workspace, "device", "issue", "--csr", csr, "--issuer", "line-a", "--out", "out/device-1");

        Fails(result, 2, "no CA named 'line-a'; CAs in", "hint: create it with 'bringup ca create-root'");
        Assert.Contains(": root", result.StandardError, StringComparison.Ordinal);
        Assert.Empty(workspace.FilesUnder("out"));
    }

    [Fact]
    public async Task An_issuer_that_is_not_a_CA_cannot_be_brought_in()
    {
        using var workspace = new Workspace(tokens);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=device-99", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        using var leaf = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        workspace.File("leaf.pem", leaf.ExportCertificatePem());
        workspace.File("leaf.key", key.ExportPkcs8PrivateKeyPem());

        var result = await Bringup.RunAsync(workspace, ["ca", "import", "--name", "leaf", "--cert", "leaf.pem", "--key-file", "leaf.key", .. workspace.FileKey()]);

        Fails(result, 1, "says cA=FALSE: it is not a CA certificate and may not issue (RFC 5280 4.2.1.9)", "hint: only a certificate with basicConstraints cA=TRUE");
        Assert.Empty(workspace.FilesUnder("ca"));
    }

    [Fact]
    public async Task An_intermediate_beyond_the_roots_path_length_is_refused_before_its_key_is_made()
    {
        using var workspace = new Workspace(tokens);
        await Bringup.SucceedsAsync(workspace, ["ca", "create-root", "--name", "root", "--subject", "CN=Flat Root", "--path-length", "0", .. workspace.HsmKey("flat-root")]);

        var result = await Bringup.RunAsync(workspace, ["ca", "create-intermediate", "--name", "line", "--issuer", "root", "--subject", "CN=Line",
            .. workspace.HsmKey("never-made")]);

        Fails(result, 1, "CA 'root' (CN=Flat Root) has pathLenConstraint 0", "hint: issue from a CA higher up");
        Assert.Contains("RFC 5280 4.2.1.9", result.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(workspace.In("ca", "line")));
        var list = await ExternalProcess.RunAsync("pkcs11-tool", ["--module", tokens.SoftHsm.ModulePath, "--token-label", tokens.SoftHsm.TokenLabel,
            "--login", "--pin", File.ReadAllText(tokens.SoftHsm.PinFile).Trim(), "--list-objects", "--type", "privkey"], tokens.SoftHsm.Environment);
        Assert.DoesNotContain("never-made", list.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_issuer_cannot_issue()
    {
        using var workspace = new Workspace(tokens);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Expired CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var expired = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-400), DateTimeOffset.UtcNow.AddDays(-35));
        workspace.File("expired.pem", expired.ExportCertificatePem());
        workspace.File("expired.key", key.ExportPkcs8PrivateKeyPem());
        await Bringup.SucceedsAsync(workspace, ["ca", "import", "--name", "old", "--cert", "expired.pem", "--key-file", "expired.key", .. workspace.FileKey()]);
        var csr = await Requests.CreateAsync(workspace, "device-1", "device-1");

        var result = await Bringup.RunAsync(workspace, "device", "issue", "--csr", csr, "--issuer", "old", "--out", "out/device-1");

        Fails(result, 1, "CA 'old' expired on", "hint: create a new CA");
        Assert.Contains("RFC 5280 4.1.2.5", result.StandardError, StringComparison.Ordinal);
        Assert.Empty(workspace.FilesUnder("out"));
    }

    [Fact]
    public async Task A_request_with_a_bad_signature_is_refused_and_nothing_is_issued()
    {
        using var workspace = new Workspace(tokens);
        await Bringup.SucceedsAsync(workspace, ["ca", "create-root", "--name", "root", "--subject", "CN=Strict Root", .. workspace.HsmKey("strict-root")]);
        var altered = await Requests.AlteredAsync(workspace, "device-1", "device-1");

        var result = await Bringup.RunAsync(workspace, "device", "issue", "--csr", altered, "--issuer", "root", "--out", "out/device-1");

        Fails(result, 1, "its self-signature does not verify with the public key it carries", "hint: do not issue for this request");
        Assert.Empty(workspace.FilesUnder("out"));
        Assert.Single(File.ReadAllLines(workspace.In("ca", "root", "issued.jsonl")));
    }

    [Fact]
    public async Task A_batch_naming_a_registration_id_twice_is_refused_before_anything_is_issued()
    {
        using var workspace = new Workspace(tokens);
        await Bringup.SucceedsAsync(workspace, ["ca", "create-root", "--name", "root", "--subject", "CN=Batch Root", .. workspace.HsmKey("batch-root")]);
        workspace.File("line.csv", "registration-id\ndevice-1\ndevice-2\nDevice-1\n");

        var result = await Bringup.RunAsync(workspace, ["device", "batch", "--issuer", "root", "--csv", "line.csv", "--out", "out", .. workspace.TpmKeyTemplate()]);

        Fails(result, 2, "names a registration id more than once (ids are case-insensitive): 'device-1' (lines 2, 4)", "nothing was issued");
        Assert.Empty(workspace.FilesUnder("out"));
        Assert.Single(File.ReadAllLines(workspace.In("ca", "root", "issued.jsonl")));
    }

    [Fact]
    public async Task A_batch_with_one_bad_request_is_refused_before_anything_is_issued()
    {
        using var workspace = new Workspace(tokens);
        await Bringup.SucceedsAsync(workspace, ["ca", "create-root", "--name", "root", "--subject", "CN=Queue Root", .. workspace.HsmKey("queue-root")]);
        await Requests.CreateAsync(workspace, "good-1", "good-1");
        await Requests.AlteredAsync(workspace, "bad-2", "bad-2");
        workspace.File("queue.csv", "good-1,good-1.csr\nbad-2,bad-2-altered.der\n");

        var result = await Bringup.RunAsync(workspace, "device", "batch", "--issuer", "root", "--csv", "queue.csv", "--out", "out");

        Fails(result, 1, "1 request(s) of this batch are refused; nothing was issued", "hint: ");
        Assert.Contains("bad-2-altered.der': its self-signature does not verify", result.StandardError, StringComparison.Ordinal);
        Assert.Empty(workspace.FilesUnder("out"));
        Assert.Single(File.ReadAllLines(workspace.In("ca", "root", "issued.jsonl")));
    }

    [Fact]
    public async Task A_registration_id_already_issued_is_refused_and_a_reissue_must_be_asked_for()
    {
        using var workspace = new Workspace(tokens);
        await Bringup.SucceedsAsync(workspace, ["ca", "create-root", "--name", "root", "--subject", "CN=Unique Root", .. workspace.HsmKey("unique-root")]);
        var first = await Requests.CreateAsync(workspace, "device-1", "first");
        var second = await Requests.CreateAsync(workspace, "DEVICE-1", "second");
        await Bringup.SucceedsAsync(workspace, ["device", "issue", "--csr", first, "--issuer", "root", "--out", "out/first"]);

        var result = await Bringup.RunAsync(workspace, "device", "issue", "--csr", second, "--issuer", "root", "--out", "out/second");

        Fails(result, 1, "registration id 'DEVICE-1' already has a certificate: CA 'root' issued it", "--reissue");
        Assert.False(Directory.Exists(workspace.In("out", "second")));
        await Bringup.SucceedsAsync(workspace, ["device", "issue", "--csr", second, "--issuer", "root", "--out", "out/second", "--reissue"]);
    }

    [Theory]
    [InlineData("device 1", "character 7 ('U+0020') is not allowed")]
    [InlineData("device-", "must end with a letter or a digit")]
    public async Task A_registration_id_DPS_would_refuse_is_a_usage_error(string id, string expected)
    {
        using var workspace = new Workspace(tokens);

        var result = await Bringup.RunAsync(workspace, ["device", "create", .. workspace.TpmKey("never"), "--registration-id", id, "--issuer", "root",
            "--out", "out/device"]);

        Fails(result, 2, $"registration id '{id}' would be refused by DPS: ", "hint: use letters, digits");
        Assert.Contains(expected, result.StandardError, StringComparison.Ordinal);
        Assert.Empty(workspace.FilesUnder("out"));
    }

    private static void Fails(ProcessResult result, int exitCode, string message, string hint)
    {
        Assert.True(result.ExitCode == exitCode, result.Transcript);
        Assert.Contains("bringup: error: ", result.StandardError, StringComparison.Ordinal);
        Assert.Contains(message, result.StandardError, StringComparison.Ordinal);
        Assert.Contains(hint, result.StandardError, StringComparison.Ordinal);
    }
}
