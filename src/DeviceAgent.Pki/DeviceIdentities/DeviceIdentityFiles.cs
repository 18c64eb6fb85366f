using System.Security.Cryptography.X509Certificates;
using System.Text;
using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Files;

namespace DeviceAgent.Pki.DeviceIdentities;

/// <summary>
/// The files a device identity is delivered as: <c>chain.pem</c> (the leaf, then the intermediates
/// up to but not including the root: what the device sends in TLS) and <c>root.pem</c> (the root,
/// to upload to DPS or to trust). Each is written whole or not at all; <c>root.pem</c> first, so
/// that an existing <c>chain.pem</c> means the identity is complete.
/// </summary>
public static class DeviceIdentityFiles
{
    /// <summary>The chain bundle's file name.</summary>
    public const string ChainFileName = "chain.pem";

    /// <summary>The root certificate's file name.</summary>
    public const string RootFileName = "root.pem";

    /// <summary>Writes the identity's files into <paramref name="directory"/> (created if needed).</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="IOException">A file cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The directory is not writable.</exception>
    public static void Write(string directory, X509Certificate2 leaf, IEnumerable<X509Certificate2> intermediates, X509Certificate2 root)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(leaf);
        ArgumentNullException.ThrowIfNull(intermediates);
        ArgumentNullException.ThrowIfNull(root);
        var chain = new StringBuilder();
        foreach (var certificate in intermediates.Prepend(leaf))
            chain.Append(certificate.ExportCertificatePem()).Append('\n');
        AtomicFile.Write(Path.Combine(directory, RootFileName), root.ExportCertificatePem() + "\n");
        AtomicFile.Write(Path.Combine(directory, ChainFileName), chain.ToString());
    }

    /// <summary>The chain already in <paramref name="directory"/>; null when there is none.</summary>
    /// <exception cref="ChainBundleFormatException">A <c>chain.pem</c> exists but cannot be read.</exception>
    public static ChainBundle? TryRead(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var path = Path.Combine(directory, ChainFileName);
        return File.Exists(path) ? ChainBundle.Load(path) : null;
    }
}
