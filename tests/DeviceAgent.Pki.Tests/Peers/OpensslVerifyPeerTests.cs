using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Tests.Support;

namespace DeviceAgent.Pki.Tests.Peers;

/// <summary>
/// Real-peer tier: OpenSSL's verifier, as <c>openssl s_server</c> runs it on a client's chain
/// (<c>-purpose sslclient</c>, the root as the only trust anchor, the intermediates untrusted),
/// agrees with the validator's own rules and with its X509Chain trust check on good and bad chains.
/// </summary>
public sealed partial class OpensslVerifyPeerTests
{
    /// <summary>Each chain, the X509_V_ERR code OpenSSL reports first (0 when it verifies), and the rule the validator reports first.</summary>
    public static TheoryData<string, int, ChainRule?> Chains => new()
    {
        { "good EC P-256", 0, null },
        { "good EC P-384", 0, null },
        { "good RSA 2048", 0, null },
        { "good RSA-PSS", 0, null },
        { "leaf without extKeyUsage", 0, null },
        { "leaf without keyUsage", 0, null },
        { "expired intermediate", 10, ChainRule.Expired }, // X509_V_ERR_CERT_HAS_EXPIRED
        { "leaf not yet valid", 9, ChainRule.NotYetValid }, // X509_V_ERR_CERT_NOT_YET_VALID
        { "leaf for serverAuth only", 26, ChainRule.LeafClientAuth }, // X509_V_ERR_INVALID_PURPOSE
        { "leaf for anyExtendedKeyUsage only", 26, ChainRule.LeafClientAuth },
        { "leaf keyUsage without digitalSignature", 26, ChainRule.LeafKeyUsage },
        { "intermediate with cA=FALSE", 79, ChainRule.IssuerIsCa }, // X509_V_ERR_INVALID_CA
        { "intermediate without basicConstraints", 79, ChainRule.IssuerIsCa },
        { "intermediate keyUsage without keyCertSign", 79, ChainRule.IssuerKeyUsage },
        { "intermediate for serverAuth only", 26, ChainRule.IssuerClientAuth },
        { "root pathLenConstraint 0 above an intermediate", 25, ChainRule.PathLength }, // X509_V_ERR_PATH_LENGTH_EXCEEDED
        { "impostor intermediate of the same name", 20, ChainRule.Signature }, // X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY
    };

    [Theory]
    [MemberData(nameof(Chains))]
    public void Openssl_verify_agrees_with_the_validator_on_the_verdict_and_the_certificate(string chain, int opensslError, ChainRule? rule)
    {
        using var pki = new TestPki();
        var (root, intermediates, leaf) = Build(chain, pki);

        var ownRules = ReportExtensions.Validate(null, [leaf, .. intermediates, root]);
        var withTrust = ReportExtensions.Validate(new ChainValidationOptions { TrustAnchors = [root.Certificate] }, [leaf, .. intermediates]);
        var (exitCode, output) = VerifyWithOpenssl(root, intermediates, leaf);

        var verdicts = $"openssl (exit {exitCode}): {output.Trim()}\nvalidator: {string.Join("; ", ownRules.Violations.Select(v => v.Message))}"
            + $"\nX509Chain: {string.Join("; ", withTrust.Violations.Select(v => v.Message))}";
        var valid = rule is null;
        Assert.True(valid == (exitCode == 0), verdicts);
        Assert.True(valid == ownRules.IsValid, verdicts);
        Assert.True(valid == withTrust.IsValid, verdicts);
        if (valid)
            return;
        var first = FirstOpensslError().Match(output);
        Assert.True(first.Success, verdicts);
        Assert.Equal(opensslError, int.Parse(first.Groups["code"].Value, CultureInfo.InvariantCulture));
        Assert.Equal(rule, ownRules.Violations[0].Rule);
        // OpenSSL's depth counts from the leaf; the bundle was written leaf first.
        Assert.Equal(int.Parse(first.Groups["depth"].Value, CultureInfo.InvariantCulture) + 1, ownRules.Violations[0].Certificate.BundlePosition);
    }

    [GeneratedRegex(@"^error (?<code>\d+) at (?<depth>\d+) depth lookup", RegexOptions.Multiline)]
    private static partial Regex FirstOpensslError();

    private static (TestIdentity Root, TestIdentity[] Intermediates, TestIdentity Leaf) Build(string chain, TestPki pki)
    {
        var ca = CertificateProfile.Ca;
        var device = CertificateProfile.Device;
        return chain switch
        {
            "good EC P-256" => Standard(pki, TestKeyKind.EcP256, ca, device),
            "good EC P-384" => Standard(pki, TestKeyKind.EcP384, ca, device),
            "good RSA 2048" => Standard(pki, TestKeyKind.Rsa2048, ca, device),
            "good RSA-PSS" => Standard(pki, TestKeyKind.Rsa2048Pss, ca, device),
            "leaf without extKeyUsage" => Standard(pki, TestKeyKind.EcP256, ca, device with { ExtendedKeyUsages = null }),
            "leaf without keyUsage" => Standard(pki, TestKeyKind.EcP256, ca, device with { KeyUsage = null }),
            "expired intermediate" => Standard(pki, TestKeyKind.EcP256, CertificateProfile.Expired(ca), device),
            "leaf not yet valid" => Standard(pki, TestKeyKind.EcP256, ca, device with { NotBefore = TimeSpan.FromDays(1) }),
            "leaf for serverAuth only" => Standard(pki, TestKeyKind.EcP256, ca, device with { ExtendedKeyUsages = [CertificateProfile.ServerAuth] }),
            "leaf for anyExtendedKeyUsage only" => Standard(pki, TestKeyKind.EcP256, ca, device with { ExtendedKeyUsages = [CertificateProfile.AnyExtendedKeyUsage] }),
            "leaf keyUsage without digitalSignature" => Standard(pki, TestKeyKind.EcP256, ca, device with { KeyUsage = X509KeyUsageFlags.KeyEncipherment }),
            "intermediate with cA=FALSE" => Standard(pki, TestKeyKind.EcP256, ca with { CertificateAuthority = false }, device),
            "intermediate without basicConstraints" => Standard(pki, TestKeyKind.EcP256, ca with { CertificateAuthority = null }, device),
            "intermediate keyUsage without keyCertSign" => Standard(pki, TestKeyKind.EcP256, ca with { KeyUsage = X509KeyUsageFlags.DigitalSignature }, device),
            "intermediate for serverAuth only" => Standard(pki, TestKeyKind.EcP256, ca with { ExtendedKeyUsages = [CertificateProfile.ServerAuth] }, device),
            "root pathLenConstraint 0 above an intermediate" => PathLengthExceeded(pki),
            "impostor intermediate of the same name" => Impostor(pki),
            _ => throw new ArgumentOutOfRangeException(nameof(chain), chain, "no such test chain"),
        };
    }

    private static (TestIdentity, TestIdentity[], TestIdentity) Standard(TestPki pki, TestKeyKind kind, CertificateProfile intermediate, CertificateProfile leaf)
    {
        var root = pki.Own(TestIdentity.Root(kind: kind));
        var ca = pki.Own(root.Issue(TestPki.LineCaSubject, intermediate, kind));
        return (root, [ca], pki.Own(ca.Issue(TestPki.DeviceSubject, leaf, kind)));
    }

    private static (TestIdentity, TestIdentity[], TestIdentity) PathLengthExceeded(TestPki pki)
    {
        var root = pki.Own(TestIdentity.Root(profile: CertificateProfile.Ca with { PathLength = 0 }));
        var ca = pki.Own(root.Issue(TestPki.LineCaSubject, CertificateProfile.Ca));
        return (root, [ca], pki.Own(ca.Issue(TestPki.DeviceSubject, CertificateProfile.Device)));
    }

    private static (TestIdentity, TestIdentity[], TestIdentity) Impostor(TestPki pki)
    {
        var impostor = pki.Own(pki.Root.Issue(TestPki.LineCaSubject, CertificateProfile.Ca));
        return (pki.Root, [impostor], pki.Leaf);
    }

    private static (int ExitCode, string Output) VerifyWithOpenssl(TestIdentity root, TestIdentity[] intermediates, TestIdentity leaf)
    {
        using var directory = new TempDirectory();
        var rootPath = directory.File("root.pem", root.Pem);
        var untrustedPath = directory.File("inter.pem", TestPki.Pem(intermediates));
        var leafPath = directory.File("leaf.pem", leaf.Pem);
        var at = TestPki.Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return Openssl.Run("verify", "-attime", at, "-purpose", "sslclient", "-CAfile", rootPath, "-untrusted", untrustedPath, leafPath);
    }
}
