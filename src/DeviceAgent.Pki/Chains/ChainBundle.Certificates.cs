using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DeviceAgent.Pki.Chains;

public sealed partial class ChainBundle
{
    private static X509Certificate2[] LoadCertificates(List<PemBlock> blocks, string sourceName)
    {
        var certificates = new List<X509Certificate2>(blocks.Count);
        try
        {
            foreach (var block in blocks)
            {
                var certificate = LoadCertificate(block, sourceName);
                var earlier = certificates.FindIndex(c => c.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span));
                if (earlier >= 0)
                {
                    var first = CertificateIdentity.Of(certificate, earlier + 1, earlier == 0 ? CertificateRole.Leaf : CertificateRole.Intermediate);
                    certificate.Dispose();
                    throw new ChainBundleFormatException(ChainBundleProblem.DuplicateCertificate, sourceName,
                        $"{Where(block)} repeats {first}; each certificate belongs in the bundle once",
                        block.Number, block.BeginLine == 0 ? null : block.BeginLine);
                }

                certificates.Add(certificate);
            }
        }
        catch
        {
            foreach (var certificate in certificates)
                certificate.Dispose();
            throw;
        }

        return [.. certificates];
    }

    private static X509Certificate2 LoadCertificate(PemBlock block, string sourceName)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadCertificate(block.Der);
        }
        catch (CryptographicException e)
        {
            throw new ChainBundleFormatException(ChainBundleProblem.InvalidCertificate, sourceName,
                $"{Where(block)} is not a DER X.509 certificate ({e.Message})", block.Number, NullIfZero(block.BeginLine), e);
        }

        if (certificate.RawDataMemory.Length != block.Der.Length)
        {
            var extra = block.Der.Length - certificate.RawDataMemory.Length;
            certificate.Dispose();
            throw new ChainBundleFormatException(ChainBundleProblem.InvalidCertificate, sourceName,
                $"{Where(block)} has {extra} bytes after the certificate's DER", block.Number, NullIfZero(block.BeginLine));
        }

        return certificate;
    }

    private static string Where(PemBlock block) => block.BeginLine > 0
        ? FormattableString.Invariant($"block {block.Number} (line {block.BeginLine})")
        : FormattableString.Invariant($"certificate #{block.Number}");

    private static int? NullIfZero(int line) => line == 0 ? null : line;
}
