using DeviceAgent.Pki.Authority;
using DeviceAgent.Pki.Tests.Support;

namespace DeviceAgent.Pki.Tests.Authority;

public sealed class IssuanceLogTests
{
    private const string Record =
        "{\"time\":\"2030-01-01T00:00:00+00:00\",\"kind\":\"device\",\"serial\":\"80\",\"subject\":\"CN=d\",\"registrationId\":\"d\",\"thumbprint\":\"AA\",\"sha256Thumbprint\":\"BB\",\"issuer\":\"CN=ca\",\"notBefore\":\"2030-01-01T00:00:00+00:00\",\"notAfter\":\"2031-01-01T00:00:00+00:00\"}";

    [Fact]
    public void A_torn_last_line_from_a_crash_is_skipped_and_the_next_append_starts_on_a_new_line()
    {
        using var directory = new TempDirectory();
        var path = directory.File("issued.jsonl", Record + "\n" + Record[..40]);
        var log = new IssuanceLog(path);

        Assert.Single(log.Read());
        log.Append([log.Read()[0] with { Serial = "81" }]);

        var lines = File.ReadAllLines(path);
        Assert.Equal(3, lines.Length);
        Assert.Equal(["80", "81"], log.Read().Select(r => r.Serial));
    }

    [Fact]
    public void A_damaged_line_in_the_middle_is_a_corrupt_store()
    {
        using var directory = new TempDirectory();
        var log = new IssuanceLog(directory.File("issued.jsonl", Record + "\n{garbage\n" + Record + "\n"));

        var e = Assert.Throws<CertificateAuthorityException>(log.Read);

        Assert.Equal(CertificateAuthorityError.StoreCorrupt, e.Error);
        Assert.Contains("line 2", e.Message, StringComparison.Ordinal);
    }
}
