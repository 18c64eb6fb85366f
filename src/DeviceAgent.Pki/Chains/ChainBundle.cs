using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace DeviceAgent.Pki.Chains;

/// <summary>
/// A device's certificate chain as stored beside its key: PEM certificates, the leaf first, then
/// its intermediates in order (each issued by the next), and optionally the root. A self-signed
/// last certificate is recognised as the root and kept apart: TLS sends <see cref="Leaf"/> and
/// <see cref="Intermediates"/> only (<c>SslStreamCertificateContext.Create(leaf, intermediates, offline: true)</c>).
/// </summary>
/// <remarks>
/// Reading a bundle checks its format only; whether the certificates form a valid chain is
/// <see cref="ChainBundleValidator"/>'s job, so that a doctor can report a bundle that reads but
/// does not validate. Immutable; safe to share between threads. The bundle owns its certificates:
/// disposing it disposes them.
/// </remarks>
public sealed partial class ChainBundle : IDisposable
{
    private readonly X509Certificate2[] _certificates;

    private ChainBundle(X509Certificate2[] certificates, string sourceName)
    {
        _certificates = certificates;
        SourceName = sourceName;
        var hasRoot = certificates.Length >= 2 && CertificateSignature.IsSelfSigned(certificates[^1]);
        Root = hasRoot ? certificates[^1] : null;
        Intermediates = Array.AsReadOnly(certificates.AsSpan(1, certificates.Length - (hasRoot ? 2 : 1)).ToArray());
        Certificates = Array.AsReadOnly(certificates);
    }

    /// <summary>Where the bundle came from (a path, or the name given to <see cref="Parse"/>); used in messages.</summary>
    public string SourceName { get; }

    /// <summary>The first certificate: the device's end-entity certificate.</summary>
    public X509Certificate2 Leaf => _certificates[0];

    /// <summary>The certificates between the leaf and the root, in bundle order.</summary>
    public IReadOnlyList<X509Certificate2> Intermediates { get; }

    /// <summary>The last certificate when it is self-signed (and not the leaf); otherwise null.</summary>
    public X509Certificate2? Root { get; }

    /// <summary>Every certificate in bundle order: the leaf, the intermediates, then the root if present.</summary>
    public IReadOnlyList<X509Certificate2> Certificates { get; }

    /// <summary>Reads a PEM bundle file.</summary>
    /// <param name="path">The bundle's path; it names the bundle in messages.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="ChainBundleFormatException">
    /// The file does not exist or cannot be read, is empty, is not PEM, holds a block that is not a
    /// certificate (a private key included), holds a malformed block, or repeats a certificate.
    /// </exception>
    public static ChainBundle Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ChainBundleFormatException(ChainBundleProblem.FileNotFound, path, "the file does not exist", innerException: e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ChainBundleFormatException(ChainBundleProblem.FileUnreadable, path, $"the file cannot be read ({e.Message})", innerException: e);
        }

        // A DER certificate starts with a SEQUENCE tag and holds no PEM boundary (RFC 7468 5).
        if (bytes.Length > 0 && bytes[0] == 0x30 && bytes.AsSpan().IndexOf("-----BEGIN "u8) < 0)
        {
            throw new ChainBundleFormatException(ChainBundleProblem.NoCertificates, path,
                "the file looks like binary DER; a chain bundle is PEM (convert with 'openssl x509 -inform der -in FILE')");
        }

        return Parse(Encoding.UTF8.GetString(bytes), path);
    }

    /// <summary>Reads a PEM bundle from text.</summary>
    /// <param name="pem">The bundle text: PEM certificates, leaf first; text between blocks is ignored.</param>
    /// <param name="sourceName">Names the bundle in messages (a path, "chain presented by device-01").</param>
    /// <exception cref="ArgumentNullException"><paramref name="pem"/> or <paramref name="sourceName"/> is null.</exception>
    /// <exception cref="ChainBundleFormatException">
    /// The text is empty, holds no PEM block, holds a block that is not a certificate (a private key
    /// included), holds a malformed block, or repeats a certificate.
    /// </exception>
    public static ChainBundle Parse(string pem, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(pem);
        ArgumentNullException.ThrowIfNull(sourceName);
        if (string.IsNullOrWhiteSpace(pem))
            throw new ChainBundleFormatException(ChainBundleProblem.Empty, sourceName, EmptyMessage);
        var blocks = PemCertificateReader.Read(pem, sourceName);
        if (blocks.Count == 0)
            throw new ChainBundleFormatException(ChainBundleProblem.NoCertificates, sourceName, "the text holds no PEM block; " + ExpectedContents);
        return new ChainBundle(LoadCertificates(blocks, sourceName), sourceName);
    }

    /// <summary>Makes a bundle from certificates already in memory (a chain a device presented, one a CA just issued).</summary>
    /// <param name="certificates">The certificates, leaf first; the bundle keeps copies of them.</param>
    /// <param name="sourceName">Names the bundle in messages.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ChainBundleFormatException">There are no certificates, or a certificate appears twice.</exception>
    public static ChainBundle Create(IEnumerable<X509Certificate2> certificates, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        ArgumentNullException.ThrowIfNull(sourceName);
        var blocks = certificates.Select((c, i) => new PemBlock(i + 1, 0, c.RawData)).ToList();
        if (blocks.Count == 0)
            throw new ChainBundleFormatException(ChainBundleProblem.Empty, sourceName, EmptyMessage);
        return new ChainBundle(LoadCertificates(blocks, sourceName), sourceName);
    }

    /// <summary>A new collection of the intermediates, for <c>SslStreamCertificateContext.Create</c> or <c>X509Chain.ChainPolicy.ExtraStore</c>.</summary>
    public X509Certificate2Collection ToIntermediateCollection() => new(Intermediates.ToArray());

    /// <summary>The bundle as PEM text, in bundle order (root included when present), one block per certificate.</summary>
    public string ToPem()
    {
        var text = new StringBuilder();
        foreach (var certificate in _certificates)
            text.Append(PemEncoding.Write("CERTIFICATE", certificate.RawData)).Append('\n');
        return text.ToString();
    }

    /// <summary>Disposes the bundle's certificates.</summary>
    public void Dispose()
    {
        foreach (var certificate in _certificates)
            certificate.Dispose();
    }

    private const string ExpectedContents = "it must hold PEM certificates: the leaf first, then its intermediates, optionally the root";

    private const string EmptyMessage = "the bundle is empty; " + ExpectedContents;
}
