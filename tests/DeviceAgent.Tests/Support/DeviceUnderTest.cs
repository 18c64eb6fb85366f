using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Keys;
using DeviceAgent.Keys.Pkcs11;
using DeviceAgent.TestPeers;

namespace DeviceAgent.Tests.Support;

/// <summary>
/// A device identity for a test: a key generated inside a simulated token and a chain bundle
/// root -> intermediate -> leaf written to a temp directory (removed on disposal).
/// </summary>
internal sealed class DeviceUnderTest : IDisposable
{
    private DeviceUnderTest(TokenSimulator token, KeyReference key, DevicePublicKey publicKey, TestChain chain, string directory)
    {
        Token = token;
        Key = key;
        PublicKey = publicKey;
        Chain = chain;
        Directory = directory;
    }

    public TokenSimulator Token { get; }

    public KeyReference Key { get; }

    public DevicePublicKey PublicKey { get; }

    public TestChain Chain { get; }

    public string Directory { get; }

    public string ChainPath => Path.Combine(Directory, "chain.pem");

    public string RootPath => Path.Combine(Directory, "root.pem");

    public static DeviceUnderTest Create(TokenSimulator token, KeyAlgorithm algorithm = KeyAlgorithm.EcP256, TestChain? chain = null)
    {
        var label = $"device-{Guid.NewGuid():N}"[..22];
        var key = KeyReference.Parse(Pkcs11Uri.ForPrivateKey(token.TokenLabel, label).ToString(), token.ModulePath, PinSource.FromFile(token.PinFile));
        var publicKey = new Pkcs11KeyBackend().CreateKey(key, algorithm);
        chain ??= TestChain.Create();
        var directory = System.IO.Directory.CreateTempSubdirectory("deviceagent-dut.").FullName;
        var device = new DeviceUnderTest(token, key, publicKey, chain, directory);
        using var leaf = chain.IssueLeaf(publicKey.SubjectPublicKeyInfo.Span, label);
        device.WriteChain(chain.BundlePem(leaf));
        File.WriteAllText(device.RootPath, chain.Root.ExportCertificatePem());
        return device;
    }

    public void WriteChain(string pem) => File.WriteAllText(ChainPath, pem);

    public void WriteChain(params X509Certificate2[] certificates) =>
        WriteChain(string.Join("\n", certificates.Select(c => c.ExportCertificatePem())) + "\n");

    /// <summary>doctor's identity options for this device, then <paramref name="extra"/>.</summary>
    public string[] DoctorArguments(params string[] extra) =>
        ["doctor", "--module", Token.ModulePath, "--key", Key.Text, "--pin-file", Token.PinFile, "--chain", ChainPath, .. extra];

    public void Dispose()
    {
        Chain.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
