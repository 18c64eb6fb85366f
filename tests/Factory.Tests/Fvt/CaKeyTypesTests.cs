using System.Text.Json;
using DeviceAgent.TestPeers;
using Factory.Tests.Support;

namespace Factory.Tests.Fvt;

/// <summary>Real-peer tier: CA keys of each supported type, generated inside SoftHSM2, sign with the matching algorithm.</summary>
[Collection(FactoryPeers.Name)]
public sealed class CaKeyTypesTests(TokenSimulators tokens)
{
    [Theory]
    [InlineData("ec-p384", "EC P-384", "sha384ECDSA")]
    [InlineData("rsa-3072", "RSA 3072", "sha256RSA")]
    public async Task A_root_key_of_each_type_is_generated_in_the_HSM_and_signs_its_certificate(string keyType, string key, string signature)
    {
        using var workspace = new Workspace(tokens);

        var result = await Bringup.RunAsync(workspace, ["ca", "create-root", "--name", "root", "--subject", $"CN={keyType} Root", "--key-type", keyType,
            "--json", .. workspace.HsmKey(keyType)]);

        Assert.True(result.ExitCode == 0, result.Transcript);
        using var json = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal(key, json.RootElement.GetProperty("certificate").GetProperty("key").GetString());
        Assert.False(json.RootElement.GetProperty("keyExisted").GetBoolean());
        using var certificate = Pem.Certificate(workspace.In("ca", "root", "certificate.pem"));
        Assert.Equal(signature, certificate.SignatureAlgorithm.FriendlyName);
        CertificateProfiles.AssertCa(certificate, certificate, pathLength: null);
        Assert.False(File.Exists(workspace.In("ca", "root", "key.pem")), "a token key never appears in the store");
        Assert.Contains("\"kind\":\"pkcs11\"", File.ReadAllText(workspace.In("ca", "root", "ca.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rerun_changes_nothing_and_a_key_left_by_a_failed_run_is_reused()
    {
        using var workspace = new Workspace(tokens);
        string[] create = ["ca", "create-root", "--name", "root", "--subject", "CN=Rerun Root", .. workspace.HsmKey("rerun")];
        var first = await Bringup.RunAsync(workspace, create);
        Assert.True(first.ExitCode == 0, first.Transcript);
        var certificate = File.ReadAllText(workspace.In("ca", "root", "certificate.pem"));

        var again = await Bringup.RunAsync(workspace, create);

        Assert.True(again.ExitCode == 0, again.Transcript);
        Assert.Contains("is already in the store", again.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(certificate, File.ReadAllText(workspace.In("ca", "root", "certificate.pem")));

        // The key stays in the token when a store is lost (as after a run that died before writing it): a new store reuses it.
        Directory.Delete(workspace.CaDirectory, recursive: true);
        var rebuilt = await Bringup.RunAsync(workspace, create);
        Assert.True(rebuilt.ExitCode == 0, rebuilt.Transcript);
        Assert.Contains("(existing key used)", rebuilt.StandardOutput, StringComparison.Ordinal);
        using var before = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(certificate);
        using var after = Pem.Certificate(workspace.In("ca", "root", "certificate.pem"));
        Assert.Equal(before.PublicKey.ExportSubjectPublicKeyInfo(), after.PublicKey.ExportSubjectPublicKeyInfo());
    }
}
