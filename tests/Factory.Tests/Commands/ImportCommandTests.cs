using DeviceAgent.TestPeers;
using Factory.Tests.Support;

namespace Factory.Tests.Commands;

/// <summary>A hierarchy made the certGen.sh way (OpenSSL, traditional encrypted keys, passphrase 1234) keeps working in bringup.</summary>
[Collection(FactoryPeers.Name)]
public sealed class ImportCommandTests(TokenSimulators tokens)
{
    [Fact]
    public async Task A_certGen_style_root_and_intermediate_are_imported_and_issue_devices()
    {
        using var workspace = new Workspace(tokens);
        workspace.File("legacy.pass", "1234\n");
        await Openssl(workspace, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "root.plain");
        await Openssl(workspace, "ec", "-in", "root.plain", "-aes256", "-passout", "pass:1234", "-out", "root.key.pem");
        await Openssl(workspace, "req", "-x509", "-new", "-key", "root.plain", "-subj", "/CN=Azure IoT Hub CA Cert Test Only", "-days", "30", "-sha256",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-out", "root.cert.pem");
        await Openssl(workspace, "genrsa", "-traditional", "-aes256", "-passout", "pass:1234", "-out", "intermediate.key.pem", "2048");
        await Openssl(workspace, "req", "-new", "-key", "intermediate.key.pem", "-passin", "pass:1234", "-subj", "/CN=Azure IoT Hub Intermediate Cert Test Only",
            "-out", "intermediate.csr");
        workspace.File("v3_intermediate_ca.ext", "basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,digitalSignature,keyCertSign,cRLSign\n");
        await Openssl(workspace, "x509", "-req", "-in", "intermediate.csr", "-CA", "root.cert.pem", "-CAkey", "root.plain", "-set_serial", "2", "-days", "30",
            "-sha256", "-extfile", "v3_intermediate_ca.ext", "-out", "intermediate.cert.pem");

        await Bringup.SucceedsAsync(workspace, ["ca", "import", "--name", "root", "--cert", "root.cert.pem", "--key-file", "root.key.pem",
            "--key-passphrase-file", "legacy.pass", .. workspace.FileKey()]);
        var intermediate = await Bringup.SucceedsAsync(workspace, ["ca", "import", "--name", "intermediate", "--cert", "intermediate.cert.pem", "--issuer", "root",
            "--key-file", "intermediate.key.pem", "--key-passphrase-file", "legacy.pass"]);
        var csr = await Requests.CreateAsync(workspace, "new-device", "new-device");
        await Bringup.SucceedsAsync(workspace, ["device", "issue", "--csr", csr, "--issuer", "intermediate", "--out", "out/new-device"]);

        Assert.Contains("imported CA 'intermediate'", intermediate.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("RSA 2048", intermediate.StandardOutput, StringComparison.Ordinal);
        var (leaf, intermediates) = Pem.Split(workspace.In("out", "new-device", "chain.pem"));
        var verify = await Support.Openssl.VerifyChainAsync(workspace, "root.cert.pem", intermediates, leaf);
        Assert.True(verify.ExitCode == 0, verify.Transcript);
        Assert.Equal(File.ReadAllText(workspace.In("ca", "root", "certificate.pem")).Trim(), File.ReadAllText(workspace.In("out", "new-device", "root.pem")).Trim());
    }

    private static async Task Openssl(Workspace workspace, params string[] arguments)
    {
        var result = await Support.Openssl.RunAsync(workspace, arguments);
        Assert.True(result.ExitCode == 0, result.Transcript);
    }
}
