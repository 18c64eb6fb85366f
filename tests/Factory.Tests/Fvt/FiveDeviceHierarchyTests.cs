using System.Security.Cryptography;
using System.Text.Json;
using DeviceAgent.Keys;
using DeviceAgent.Pki.Chains.Trust;
using DeviceAgent.TestPeers;
using Factory.Tests.Support;

namespace Factory.Tests.Fvt;

/// <summary>
/// Real-peer tier: the five devices of the DPS documentation (root -> A -> devices 1-3; root -> B ->
/// devices 4-5), made end to end with bringup as an operator runs it. The root's key is in
/// SoftHSM2, A's in an encrypted file, B's in SoftHSM2; every device key is generated in the TPM
/// (swtpm). Each chain is verified by openssl verify (the root as the only anchor, the
/// intermediate untrusted, TLS client purpose) and by .NET's X509Chain with only the root trusted.
/// </summary>
[Collection(FactoryPeers.Name)]
public sealed class FiveDeviceHierarchyTests(TokenSimulators tokens)
{
    private static readonly (string Device, string Ca)[] s_devices =
        [("device-1", "ca-a"), ("device-2", "ca-a"), ("device-3", "ca-a"), ("device-4", "ca-b"), ("device-5", "ca-b")];

    [Fact]
    public async Task The_documented_hierarchy_is_built_with_device_keys_in_the_TPM_and_every_chain_verifies_to_the_root_alone()
    {
        using var workspace = new Workspace(tokens);
        await Bringup.SucceedsAsync(workspace, ["ca", "create-root", "--name", "root", "--subject", "CN=Contoso Root CA, O=Contoso", "--path-length", "1", .. workspace.HsmKey("root")]);
        await Bringup.SucceedsAsync(workspace, ["ca", "create-intermediate", "--name", "ca-a", "--issuer", "root", "--subject", "CN=Certificate A, O=Contoso", .. workspace.FileKey()]);
        await Bringup.SucceedsAsync(workspace, ["ca", "create-intermediate", "--name", "ca-b", "--issuer", "root", "--subject", "CN=Certificate B, O=Contoso", .. workspace.HsmKey("ca-b")]);

        var thumbprints = new Dictionary<string, string>();
        foreach (var (device, ca) in s_devices)
        {
            var result = await Bringup.SucceedsAsync(workspace, ["device", "create", .. workspace.TpmKey(device), "--registration-id", device, "--issuer", ca,
                "--out", $"out/{device}", "--json"]);
            using var json = JsonDocument.Parse(result.StandardOutput);
            Assert.Equal("issued", json.RootElement.GetProperty("outcome").GetString());
            Assert.False(json.RootElement.GetProperty("keyExisted").GetBoolean());
            thumbprints[device] = json.RootElement.GetProperty("leaf").GetProperty("thumbprint").GetString()!;
        }

        using var root = Pem.Certificate(workspace.In("ca", "root", "certificate.pem"));
        using var caA = Pem.Certificate(workspace.In("ca", "ca-a", "certificate.pem"));
        using var caB = Pem.Certificate(workspace.In("ca", "ca-b", "certificate.pem"));
        CertificateProfiles.AssertCa(root, root, pathLength: 1);
        CertificateProfiles.AssertCa(caA, root, pathLength: 0);
        CertificateProfiles.AssertCa(caB, root, pathLength: 0);
        var keys = new KeyBackends();
        foreach (var (device, ca) in s_devices)
        {
            var directory = workspace.In("out", device);
            using var issuer = ca == "ca-a" ? Pem.Certificate(workspace.In("ca", "ca-a", "certificate.pem")) : Pem.Certificate(workspace.In("ca", "ca-b", "certificate.pem"));
            using var chain = Pem.Chain(Path.Combine(directory, "chain.pem"));
            Assert.Equal([$"CN={device}", issuer.Subject], chain.Certificates.Select(c => c.Subject)); // leaf, then the intermediate; no root
            using var rootCopy = Pem.Certificate(Path.Combine(directory, "root.pem"));
            Assert.Equal(root.Thumbprint, rootCopy.Thumbprint);
            Assert.Equal(thumbprints[device], chain.Leaf.GetCertHashString(HashAlgorithmName.SHA1));
            CertificateProfiles.AssertDevice(chain.Leaf, issuer, device);

            // The leaf certifies the key the TPM holds, a key generated inside it that can never leave it.
            var reference = KeyReference.Parse(workspace.TpmUri(device), tokens.Tpm.ModulePath, PinSource.FromFile(tokens.Tpm.PinFile));
            var tokenKey = keys.For(reference).GetPublicKey(reference);
            Assert.True(tokenKey.SameKeyAs(chain.Leaf.PublicKey.ExportSubjectPublicKeyInfo()), $"{device}: the leaf does not certify the TPM key");
            var custody = ((IKeyCustodyInspector)keys.For(reference)).ReadCustody(reference);
            Assert.True(custody.ProvesNonExportable, string.Join("; ", custody.Problems));

            var (leafFile, intermediates) = Pem.Split(Path.Combine(directory, "chain.pem"));
            var openssl = await Openssl.VerifyChainAsync(workspace, Path.Combine(directory, "root.pem"), intermediates, leafFile);
            Assert.True(openssl.ExitCode == 0 && openssl.StandardOutput.Contains(": OK", StringComparison.Ordinal), $"{device}: {openssl.Transcript}");
            using var trust = ChainTrust.Evaluate(chain.Leaf, chain.Intermediates, [rootCopy], DateTimeOffset.UtcNow, ChainTrust.ClientAuthentication);
            Assert.True(trust.IsTrusted, $"{device}: " + string.Join("; ", trust.Problems.Select(p => $"{p.Status}: {p.Information}")));
            Assert.Equal(3, trust.Path.Count);
        }

        // Devices of A do not verify under B: the chains really are distinct branches.
        var (leaf1, _) = Pem.Split(workspace.In("out", "device-1", "chain.pem"));
        var (_, intermediatesB) = Pem.Split(workspace.In("out", "device-4", "chain.pem"));
        var crossed = await Openssl.VerifyChainAsync(workspace, workspace.In("out", "device-4", "root.pem"), intermediatesB, leaf1);
        Assert.True(crossed.ExitCode != 0, crossed.Transcript);

        // Each CA's log holds exactly what its key signed.
        Assert.Equal(3, File.ReadAllLines(workspace.In("ca", "root", "issued.jsonl")).Length); // itself, A, B
        Assert.Equal(3, File.ReadAllLines(workspace.In("ca", "ca-a", "issued.jsonl")).Length);
        Assert.Equal(2, File.ReadAllLines(workspace.In("ca", "ca-b", "issued.jsonl")).Length);
        Assert.Contains(thumbprints["device-5"], File.ReadAllText(workspace.In("ca", "ca-b", "issued.jsonl")), StringComparison.Ordinal);
    }
}
