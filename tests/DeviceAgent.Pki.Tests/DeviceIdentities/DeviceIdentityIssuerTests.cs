using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Pki.Authority;
using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Chains.Trust;
using DeviceAgent.Pki.DeviceIdentities;
using DeviceAgent.Pki.Registration;
using DeviceAgent.Pki.Tests.Support;

namespace DeviceAgent.Pki.Tests.DeviceIdentities;

[Collection(SharedHierarchyGroup.Name)]
public sealed class DeviceIdentityIssuerTests(SharedHierarchy hierarchy)
{
    private static readonly TimeSpan s_year = TimeSpan.FromDays(365);

    private DeviceIdentityIssuer NewIssuer() => new(hierarchy.Line, hierarchy.Store.Store.ReadLedger(), TestStore.Keys);

    private string Output(string id) => hierarchy.Store.PathOf("out", id);

    [Fact]
    public void The_identity_is_the_leaf_then_the_intermediates_and_the_root_apart_and_it_builds_to_the_root_alone()
    {
        var request = TestStore.Request("issued-1");

        var identity = NewIssuer().IssueFromRequest(request, RegistrationId.Parse("issued-1"), Output("issued-1"), s_year);

        Assert.Equal(DeviceIdentityOutcome.Issued, identity.Outcome);
        using var chain = ChainBundle.Load(identity.ChainPath);
        Assert.Equal(["CN=issued-1", hierarchy.Line.Certificate.Subject], chain.Certificates.Select(c => c.Subject));
        Assert.Null(chain.Root);
        using var root = X509CertificateLoader.LoadCertificateFromFile(identity.RootPath);
        Assert.Equal(hierarchy.Line.Root!.Thumbprint, root.Thumbprint);
        using var trust = ChainTrust.Evaluate(chain.Leaf, chain.Intermediates, [root], DateTimeOffset.UtcNow, ChainTrust.ClientAuthentication);
        Assert.True(trust.IsTrusted, string.Join("; ", trust.Problems.Select(p => p.Information)));
        Assert.Equal(chain.Leaf.Thumbprint, identity.Leaf.Thumbprint);
    }

    [Fact]
    public void A_rerun_into_the_same_output_does_nothing()
    {
        var request = TestStore.Request("rerun-1");
        var first = NewIssuer().IssueFromRequest(request, RegistrationId.Parse("rerun-1"), Output("rerun-1"), s_year);
        var logged = hierarchy.Line.Entry.Log.Read().Count;

        var second = NewIssuer().IssueFromRequest(request, RegistrationId.Parse("rerun-1"), Output("rerun-1"), s_year);

        Assert.Equal(DeviceIdentityOutcome.AlreadyDone, second.Outcome);
        Assert.Equal(first.Leaf.Thumbprint, second.Leaf.Thumbprint);
        Assert.Equal(logged, hierarchy.Line.Entry.Log.Read().Count);
    }

    [Fact]
    public void A_registration_id_issued_before_is_refused_as_a_duplicate_whatever_its_case_unless_reissued_on_purpose()
    {
        NewIssuer().IssueFromRequest(TestStore.Request("dup-1"), RegistrationId.Parse("dup-1"), Output("dup-1"), s_year);

        var e = Assert.Throws<CertificateAuthorityException>(() =>
            NewIssuer().IssueFromRequest(TestStore.Request("DUP-1"), RegistrationId.Parse("DUP-1"), Output("elsewhere"), s_year));

        Assert.Equal(CertificateAuthorityError.DuplicateRegistrationId, e.Error);
        Assert.Contains("registration id 'DUP-1' already has a certificate: CA 'line' issued it", e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Output("elsewhere")));
        var replaced = NewIssuer().IssueFromRequest(TestStore.Request("dup-1"), RegistrationId.Parse("dup-1"), Output("replacement"), s_year, reissue: true);
        Assert.Equal(DeviceIdentityOutcome.Reissued, replaced.Outcome);
    }

    [Fact]
    public void A_run_interrupted_after_logging_and_before_writing_is_resumed_not_refused()
    {
        NewIssuer().IssueFromRequest(TestStore.Request("cut-1"), RegistrationId.Parse("cut-1"), Output("cut-1"), s_year);
        File.Delete(Path.Combine(Output("cut-1"), "chain.pem")); // as if the process died between the log's fsync and the write
        File.Delete(Path.Combine(Output("cut-1"), "root.pem"));

        var resumed = NewIssuer().IssueFromRequest(TestStore.Request("cut-1"), RegistrationId.Parse("cut-1"), Output("cut-1"), s_year);

        Assert.Equal(DeviceIdentityOutcome.Reissued, resumed.Outcome);
        Assert.True(File.Exists(resumed.ChainPath));
    }

    [Fact]
    public void An_output_holding_another_devices_identity_is_left_alone()
    {
        NewIssuer().IssueFromRequest(TestStore.Request("owner-1"), RegistrationId.Parse("owner-1"), Output("shared"), s_year);
        var before = File.ReadAllText(Path.Combine(Output("shared"), "chain.pem"));

        var e = Assert.Throws<CertificateAuthorityException>(() =>
            NewIssuer().IssueFromRequest(TestStore.Request("intruder-1"), RegistrationId.Parse("intruder-1"), Output("shared"), s_year));

        Assert.Equal(CertificateAuthorityError.OutputConflict, e.Error);
        Assert.Contains("it is the identity of 'owner-1'", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(Path.Combine(Output("shared"), "chain.pem")));
        Assert.Empty(hierarchy.Store.Store.ReadLedger().Find(RegistrationId.Parse("intruder-1")));
    }
}
