using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Tests.Support;

namespace DeviceAgent.Pki.Tests.Chains;

public sealed class PemCertificateReaderTests
{
    private const string Begin = "-----BEGIN CERTIFICATE-----";
    private const string End = "-----END CERTIFICATE-----";

    public static TheoryData<string, string, ChainBundleProblem, int, int, string> Malformed => new()
    {
        {
            "a line with a character outside base64",
            $"{Begin}\nMIIB\nMII!B\n{End}\n", ChainBundleProblem.InvalidBase64, 1, 3, "block 1 (line 1): line 3 is not base64 (column 4)"
        },
        {
            "base64 cut short",
            $"{Begin}\nMIIBx\n{End}\n", ChainBundleProblem.InvalidBase64, 1, 1, "block 1 (lines 1-3): the base64 does not decode (its length or padding is wrong"
        },
        {
            "an empty block",
            $"{Begin}\n{End}\n", ChainBundleProblem.InvalidBase64, 1, 1, "block 1 (lines 1-2): the base64 does not decode (it is empty)"
        },
        {
            "a block without its END",
            $"{Begin}\nMIIB\n", ChainBundleProblem.MalformedPem, 1, 1, "block 1 (line 1) has no \"-----END CERTIFICATE-----\" line"
        },
        {
            "a block that runs into the next",
            $"{Begin}\nMIIB\n{Begin}\n", ChainBundleProblem.MalformedPem, 1, 1, "block 1 (line 1) has no END line before the next BEGIN on line 3"
        },
        {
            "an END without a BEGIN",
            $"text\n{End}\n", ChainBundleProblem.MalformedPem, 1, 2, "line 2 ends a PEM block that was never begun"
        },
        {
            "an END with another label",
            $"{Begin}\nMIIB\n-----END X509 CRL-----\n", ChainBundleProblem.MalformedPem, 1, 3, "block 1 (line 1) begins \"CERTIFICATE\" but line 3 ends \"X509 CRL\""
        },
        {
            "a broken boundary",
            "-----BEGIN CERTIFICATE----\nMIIB\n", ChainBundleProblem.MalformedPem, 1, 1, "line 1 is a broken PEM boundary"
        },
        {
            "a certificate request",
            "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n", ChainBundleProblem.NotACertificate, 1, 1,
            "block 1 (line 1) is \"CERTIFICATE REQUEST\", not \"CERTIFICATE\""
        },
        {
            "an encrypted private key",
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n", ChainBundleProblem.PrivateKey, 1, 1,
            "block 1 (line 1) is a private key (\"-----BEGIN ENCRYPTED PRIVATE KEY-----\")"
        },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Names_the_block_and_line_of_a_malformed_bundle(string description, string pem, ChainBundleProblem problem, int block, int line, string message)
    {
        var e = Assert.Throws<ChainBundleFormatException>(() => ChainBundle.Parse(pem, "chain.pem"));

        Assert.True(problem == e.Problem, description);
        Assert.Equal(block, e.BlockNumber);
        Assert.Equal(line, e.LineNumber);
        Assert.StartsWith($"chain bundle 'chain.pem': {message}", e.Message, StringComparison.Ordinal);
        Assert.Equal("chain.pem", e.SourceName);
    }

    [Fact]
    public void Counts_blocks_and_lines_across_good_certificates_before_the_bad_one()
    {
        using var pki = new TestPki();
        var good = pki.Leaf.Pem;
        var pem = good + "comment\n" + $"{Begin}\nMII*\n{End}\n";
        var badLine = good.Split('\n').Length + 2;

        var e = Assert.Throws<ChainBundleFormatException>(() => ChainBundle.Parse(pem, "chain.pem"));

        Assert.Equal(2, e.BlockNumber);
        Assert.Equal(badLine, e.LineNumber);
    }
}
