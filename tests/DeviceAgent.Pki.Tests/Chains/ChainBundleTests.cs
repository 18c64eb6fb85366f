using System.Security.Cryptography;
using System.Text;
using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Tests.Support;

namespace DeviceAgent.Pki.Tests.Chains;

public sealed class ChainBundleTests
{
    [Fact]
    public void Reads_leaf_and_intermediates_in_order_without_a_root()
    {
        using var pki = new TestPki();
        using var bundle = TestPki.Bundle(pki.Leaf, pki.Intermediate);

        Assert.Equal(pki.Leaf.Certificate.Thumbprint, bundle.Leaf.Thumbprint);
        Assert.Equal([pki.Intermediate.Certificate.Thumbprint], bundle.Intermediates.Select(c => c.Thumbprint));
        Assert.Null(bundle.Root);
        Assert.Equal("test-chain.pem", bundle.SourceName);
    }

    [Fact]
    public void Recognises_a_self_signed_last_certificate_as_the_root_and_keeps_it_apart()
    {
        using var pki = new TestPki();
        using var bundle = TestPki.Bundle(pki.Leaf, pki.Intermediate, pki.Root);

        Assert.Equal(pki.Root.Certificate.Thumbprint, bundle.Root?.Thumbprint);
        Assert.Single(bundle.Intermediates);
        Assert.Equal(3, bundle.Certificates.Count);
        var forTls = bundle.ToIntermediateCollection();
        Assert.Equal([pki.Intermediate.Certificate.Thumbprint], forTls.Select(c => c.Thumbprint));
    }

    [Fact]
    public void A_lone_self_signed_certificate_is_the_leaf_not_a_root()
    {
        using var root = TestIdentity.Root();
        using var bundle = TestPki.Bundle(root);

        Assert.Equal(root.Certificate.Thumbprint, bundle.Leaf.Thumbprint);
        Assert.Null(bundle.Root);
        Assert.Empty(bundle.Intermediates);
    }

    [Fact]
    public void Ignores_text_between_blocks_and_carriage_returns()
    {
        using var pki = new TestPki();
        var pem = "subject=CN = device-01\r\n" + pki.Leaf.Pem.Replace("\n", "\r\n", StringComparison.Ordinal)
            + "\r\n# the line CA\r\n" + pki.Intermediate.Pem;
        using var bundle = ChainBundle.Parse(pem, "annotated.pem");

        Assert.Equal(2, bundle.Certificates.Count);
    }

    [Fact]
    public void Writes_the_same_pem_it_reads()
    {
        using var pki = new TestPki();
        var pem = TestPki.Pem(pki.Leaf, pki.Intermediate, pki.Root);
        using var bundle = ChainBundle.Parse(pem, "x");

        Assert.Equal(pem, bundle.ToPem());
    }

    [Fact]
    public void Create_copies_certificates_from_memory()
    {
        using var pki = new TestPki();
        using var bundle = ChainBundle.Create([pki.Leaf.Certificate, pki.Intermediate.Certificate, pki.Root.Certificate], "presented by device-01");

        Assert.NotSame(pki.Leaf.Certificate, bundle.Leaf);
        Assert.NotNull(bundle.Root);
        Assert.Equal("presented by device-01", bundle.SourceName);
    }

    [Fact]
    public void Load_reads_a_file()
    {
        using var pki = new TestPki();
        using var directory = new TempDirectory();
        var path = directory.File("chain.pem", TestPki.Pem(pki.Leaf, pki.Intermediate));

        using var bundle = ChainBundle.Load(path);

        Assert.Equal(path, bundle.SourceName);
        Assert.Equal(2, bundle.Certificates.Count);
    }

    [Fact]
    public void Load_names_a_missing_file()
    {
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "missing", "chain.pem");

        var e = Assert.Throws<ChainBundleFormatException>(() => ChainBundle.Load(path));

        Assert.Equal(ChainBundleProblem.FileNotFound, e.Problem);
        Assert.Equal($"chain bundle '{path}': the file does not exist", e.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \n\t\n")]
    public void Load_refuses_an_empty_file(string contents)
    {
        using var directory = new TempDirectory();
        var path = directory.File("chain.pem", contents);

        var e = Assert.Throws<ChainBundleFormatException>(() => ChainBundle.Load(path));

        Assert.Equal(ChainBundleProblem.Empty, e.Problem);
        Assert.Contains("is empty", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_recognises_a_der_file_and_says_how_to_convert_it()
    {
        using var pki = new TestPki();
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "leaf.der");
        File.WriteAllBytes(path, pki.Leaf.Certificate.RawData);

        var e = Assert.Throws<ChainBundleFormatException>(() => ChainBundle.Load(path));

        Assert.Equal(ChainBundleProblem.NoCertificates, e.Problem);
        Assert.Contains("openssl x509 -inform der", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_text_without_any_pem_block()
    {
        var e = Assert.Throws<ChainBundleFormatException>(() => ChainBundle.Parse("just some text\n", "notes.txt"));

        Assert.Equal(ChainBundleProblem.NoCertificates, e.Problem);
    }

    [Theory]
    [InlineData(TestKeyKind.EcP256, "PRIVATE KEY")]
    [InlineData(TestKeyKind.EcP256, "EC PRIVATE KEY")]
    [InlineData(TestKeyKind.Rsa2048, "RSA PRIVATE KEY")]
    public void Refuses_a_private_key_without_echoing_it(TestKeyKind kind, string label)
    {
        using var pki = new TestPki(kind);
        var der = label switch
        {
            "EC PRIVATE KEY" => ((ECDsa)pki.Leaf.Key).ExportECPrivateKey(),
            "RSA PRIVATE KEY" => ((RSA)pki.Leaf.Key).ExportRSAPrivateKey(),
            _ => pki.Leaf.Key.ExportPkcs8PrivateKey(),
        };
        var keyPem = PemEncoding.WriteString(label, der);
        var pem = pki.Leaf.Pem + keyPem + "\n" + pki.Intermediate.Pem;

        var e = Assert.Throws<ChainBundleFormatException>(() => ChainBundle.Parse(pem, "chain.pem"));

        Assert.Equal(ChainBundleProblem.PrivateKey, e.Problem);
        Assert.Equal(2, e.BlockNumber);
        Assert.Equal(pki.Leaf.Pem.Split('\n').Length, e.LineNumber);
        Assert.Contains($"block 2 (line {e.LineNumber}) is a private key (\"-----BEGIN {label}-----\")", e.Message, StringComparison.Ordinal);
        foreach (var line in keyPem.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal)))
            Assert.DoesNotContain(line[..Math.Min(16, line.Length)], e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_a_repeated_certificate()
    {
        using var pki = new TestPki();

        var e = Assert.Throws<ChainBundleFormatException>(() => TestPki.Bundle(pki.Leaf, pki.Intermediate, pki.Intermediate));

        Assert.Equal(ChainBundleProblem.DuplicateCertificate, e.Problem);
        Assert.Equal(3, e.BlockNumber);
        Assert.Contains($"repeats certificate #2 (intermediate) \"{TestPki.LineCaSubject}\" [SHA-1 thumbprint {pki.Intermediate.Certificate.Thumbprint}]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_base64_that_is_not_a_certificate()
    {
        using var pki = new TestPki();
        var garbage = PemEncoding.WriteString("CERTIFICATE", Encoding.ASCII.GetBytes("this is not DER at all"));
        var pem = pki.Leaf.Pem + garbage + "\n";

        var e = Assert.Throws<ChainBundleFormatException>(() => ChainBundle.Parse(pem, "chain.pem"));

        Assert.Equal(ChainBundleProblem.InvalidCertificate, e.Problem);
        Assert.Equal(2, e.BlockNumber);
        Assert.StartsWith($"chain bundle 'chain.pem': block 2 (line {pki.Leaf.Pem.Split('\n').Length}) is not a DER X.509 certificate", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_a_certificate_followed_by_extra_bytes()
    {
        using var pki = new TestPki();
        var pem = PemEncoding.WriteString("CERTIFICATE", [.. pki.Leaf.Certificate.RawData, 0, 0]);

        var e = Assert.Throws<ChainBundleFormatException>(() => ChainBundle.Parse(pem, "chain.pem"));

        Assert.Equal(ChainBundleProblem.InvalidCertificate, e.Problem);
        Assert.Contains("has 2 bytes after the certificate's DER", e.Message, StringComparison.Ordinal);
    }
}
