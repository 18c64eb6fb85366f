using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Pki.Chains;

namespace Factory.Tests.Support;

/// <summary>Reading what bringup wrote.</summary>
internal static class Pem
{
    public static X509Certificate2 Certificate(string path) => X509CertificateLoader.LoadCertificateFromFile(path);

    public static ChainBundle Chain(string path) => ChainBundle.Load(path);

    /// <summary>Splits a chain file into leaf.pem and intermediates.pem beside it (for openssl verify).</summary>
    public static (string Leaf, string Intermediates) Split(string chainPath)
    {
        using var chain = ChainBundle.Load(chainPath);
        var directory = Path.GetDirectoryName(chainPath)!;
        var leaf = Path.Combine(directory, "leaf.pem");
        var intermediates = Path.Combine(directory, "intermediates.pem");
        File.WriteAllText(leaf, chain.Leaf.ExportCertificatePem() + "\n");
        File.WriteAllText(intermediates, string.Concat(chain.Intermediates.Select(c => c.ExportCertificatePem() + "\n")));
        return (leaf, intermediates);
    }
}
