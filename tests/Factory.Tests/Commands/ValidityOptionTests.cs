using System.Security.Cryptography.X509Certificates;
using DeviceAgent.TestPeers;
using Factory.Tests.Support;

namespace Factory.Tests.Commands;

/// <summary><c>--validity</c> on <c>device issue</c>: a lifetime with a unit, for short-lived leaves in tests and demos.</summary>
[Collection(FactoryPeers.Name)]
public sealed class ValidityOptionTests(TokenSimulators tokens)
{
    [Fact]
    public async Task A_leaf_issued_for_ten_minutes_ends_ten_minutes_from_now()
    {
        using var workspace = new Workspace(tokens);
        await Bringup.SucceedsAsync(workspace, ["ca", "create-root", "--name", "root", "--subject", "CN=Validity Root", .. workspace.FileKey()]);
        var csr = await Requests.CreateAsync(workspace, "device-10m", "device-10m");
        var before = DateTimeOffset.UtcNow;

        await Bringup.SucceedsAsync(workspace, ["device", "issue", "--csr", csr, "--issuer", "root", "--out", "out/d", "--validity", "10m"]);

        using var leaf = X509CertificateLoader.LoadCertificateFromFile(workspace.In("out", "d", "chain.pem"));
        var notAfter = new DateTimeOffset(leaf.NotAfter.ToUniversalTime());
        Assert.InRange(notAfter, before.AddMinutes(10).AddSeconds(-2), DateTimeOffset.UtcNow.AddMinutes(10).AddSeconds(1));
    }

    [Theory]
    [InlineData("10w", "--validity: '10w' has an unknown unit 'w'")]
    [InlineData("30s", "--validity: '30s' is out of range 1m..36500d")]
    public async Task A_lifetime_that_cannot_be_read_is_a_usage_error_and_issues_nothing(string validity, string expected)
    {
        using var workspace = new Workspace(tokens);
        await Bringup.SucceedsAsync(workspace, ["ca", "create-root", "--name", "root", "--subject", "CN=Validity Root", .. workspace.FileKey()]);
        var csr = await Requests.CreateAsync(workspace, "device-bad", "device-bad");

        var result = await Bringup.RunAsync(workspace, "device", "issue", "--csr", csr, "--issuer", "root", "--out", "out/d", "--validity", validity);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.StandardError, StringComparison.Ordinal);
        Assert.Empty(workspace.FilesUnder("out"));
    }

    [Fact]
    public async Task Validity_and_days_together_are_refused()
    {
        using var workspace = new Workspace(tokens);
        await Bringup.SucceedsAsync(workspace, ["ca", "create-root", "--name", "root", "--subject", "CN=Validity Root", .. workspace.FileKey()]);
        var csr = await Requests.CreateAsync(workspace, "device-both", "device-both");

        var result = await Bringup.RunAsync(workspace, "device", "issue", "--csr", csr, "--issuer", "root", "--out", "out/d", "--validity", "1h", "--days", "2");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("either with --validity or with --days, not both", result.StandardError, StringComparison.Ordinal);
    }
}
