using System.Security.Cryptography;
using DeviceAgent.TestPeers;
using Factory.Tests.Support;

namespace Factory.Tests.Fvt;

/// <summary>
/// Real-peer tier: <c>bringup device create --tpm swtpm:... --key tpm:handle=0x81000101</c> makes the
/// device key inside a swtpm through our TPM stack (no PKCS#11, no abrmd); tpm2_readpublic, an
/// independent client, sees the key the leaf certifies.
/// </summary>
[Collection(FactoryPeers.Name)]
public sealed class NativeTpmDeviceTests(TokenSimulators tokens)
{
    [Fact]
    public async Task Device_key_made_in_the_tpm_through_our_stack_is_the_key_the_leaf_certifies()
    {
        using var workspace = new Workspace(tokens);
        using var swtpm = await Swtpm.StartAsync();
        await Bringup.SucceedsAsync(workspace, ["ca", "create-root", "--name", "root", "--subject", "CN=Native TPM Root", "--path-length", "1", .. workspace.FileKey()]);
        await Bringup.SucceedsAsync(workspace, ["ca", "create-intermediate", "--name", "line", "--issuer", "root", "--subject", "CN=Line", .. workspace.FileKey()]);
        var output = workspace.In("device-tpm");
        await Bringup.SucceedsAsync(workspace, ["device", "create", "--tpm", swtpm.Spec, "--key", "tpm:handle=0x81000101",
            "--registration-id", "device-tpm", "--issuer", "line", "--out", output]);

        var pem = Path.Combine(swtpm.Directory, "device.pem");
        var read = await swtpm.RunToolAsync("tpm2_readpublic", "-c", "0x81000101", "-f", "pem", "-o", pem);
        Assert.True(read.ExitCode == 0, read.Transcript);
        Assert.Contains("raw: 0x40072", read.StandardOutput, StringComparison.Ordinal);
        using var tpmKey = ECDsa.Create();
        tpmKey.ImportFromPem(await File.ReadAllTextAsync(pem));
        using var leaf = Pem.Certificate(Path.Combine(output, "chain.pem"));
        Assert.Equal("CN=device-tpm", leaf.Subject);
        Assert.Equal(tpmKey.ExportSubjectPublicKeyInfo(), leaf.PublicKey.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public async Task A_tpm_that_is_not_there_fails_with_what_to_start()
    {
        using var workspace = new Workspace(tokens);
        await Bringup.SucceedsAsync(workspace, ["ca", "create-root", "--name", "root", "--subject", "CN=Native TPM Root", "--path-length", "1", .. workspace.FileKey()]);
        var port = FreePort.Next();
        var result = await Bringup.RunAsync(workspace, ["device", "create", "--tpm", $"swtpm:port={port}", "--key", "tpm:handle=0x81000101",
            "--registration-id", "device-none", "--issuer", "root", "--out", workspace.In("none")]);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"no TPM simulator at 127.0.0.1:{port}", result.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(workspace.In("none")) && Directory.EnumerateFiles(workspace.In("none")).Any());
    }
}
