using System.Net;
using System.Text.Json.Nodes;
using DeviceAgent.TestPeers;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Tests.Support;

namespace ProvisioningEndpoint.Tests.Rest;

/// <summary>The enrollment group routes: the signing-certificate rule, CA references, one group per certificate, etags, query.</summary>
public sealed class EnrollmentGroupRoutesTests : RestTest
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Client.ProveAsync("root", Pki.Root);
    }

    [Fact]
    public async Task A_group_on_the_verified_root_is_created_and_shown_with_its_signing_certificate_info()
    {
        await Client.CreateGroupAsync("root-group", Pki.Root.Certificate);

        var read = (await Client.GetAsync("/enrollmentGroups/root-group")).Json;
        Assert.Equal("root-group", read.GetProperty("enrollmentGroupId").GetString());
        Assert.Equal(Pki.Root.Certificate.Thumbprint, read.GetProperty("attestation").GetProperty("x509").GetProperty("signingCertificates")
            .GetProperty("primary").GetProperty("info").GetProperty("sha1Thumbprint").GetString());
        Assert.Equal("hashed", read.GetProperty("allocationPolicy").GetString());
    }

    [Fact]
    public async Task A_group_by_CA_reference_is_bound_to_that_certificate()
    {
        var response = await Client.PutAsync("/enrollmentGroups/by-ref", RestBodies.GroupByReference("by-ref", "root"));

        Assert.True(response.Status == HttpStatusCode.OK, response.ToString());
        Assert.Equal("root", response.Json.GetProperty("attestation").GetProperty("x509").GetProperty("caReferences").GetProperty("primary").GetString());
        var stored = (await Endpoint.Store.GetEnrollmentGroupAsync("by-ref"))!;
        Assert.Equal(Pki.Root.Certificate.RawData, stored.SigningCertificate);
        Assert.Equal("root", stored.CaReference);
        await RestArrange.AssertErrorAsync(Client.DeleteAsync("/certificates/root"), HttpStatusCode.Conflict, "'by-ref' refer to certificate 'root'");
    }

    [Fact]
    public async Task A_reference_to_a_certificate_that_is_not_uploaded_is_refused()
    {
        await RestArrange.AssertErrorAsync(Client.PutAsync("/enrollmentGroups/by-ref", RestBodies.GroupByReference("by-ref", "missing")),
            HttpStatusCode.BadRequest, "'attestation.x509.caReferences.primary' names the CA certificate 'missing', which is not uploaded");
    }

    [Fact]
    public async Task A_group_rolls_up_through_an_uploaded_unverified_intermediate_to_the_verified_root()
    {
        using var line = Pki.A.IssueIntermediate("Contoso Line 7");
        await Client.UploadCaAsync("certificate-a", Pki.A.Certificate);

        await Client.CreateGroupAsync("line-7", line.Certificate);
    }

    [Fact]
    public async Task A_group_under_a_foreign_root_is_refused_even_when_its_chain_is_uploaded()
    {
        using var foreign = TestCa.CreateRoot("Fabrikam Root");
        using var intermediate = foreign.IssueIntermediate("Fabrikam Factory");
        await Client.UploadCaAsync("fabrikam", foreign.Certificate);

        await RestArrange.AssertErrorAsync(Client.PutAsync("/enrollmentGroups/fabrikam", RestBodies.Group("fabrikam", intermediate.Certificate)),
            HttpStatusCode.BadRequest, "(uploaded: 'fabrikam' (unverified))");
    }

    [Fact]
    public async Task Only_one_group_per_signing_certificate()
    {
        await Client.CreateGroupAsync("group-a", Pki.A.Certificate);

        await RestArrange.AssertErrorAsync(Client.PutAsync("/enrollmentGroups/group-a2", RestBodies.Group("group-a2", Pki.A.Certificate)),
            HttpStatusCode.Conflict, "'group-a' is already bound to signing certificate");
    }

    [Fact]
    public async Task A_group_can_be_disabled_after_its_CA_was_deleted()
    {
        var etag = await Client.CreateGroupAsync("group-a", Pki.A.Certificate);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("/certificates/root")).Status);
        var read = JsonNode.Parse((await Client.GetAsync("/enrollmentGroups/group-a")).Body)!.AsObject();
        read["provisioningStatus"] = "disabled";

        var response = await Client.PutAsync("/enrollmentGroups/group-a", read.ToJsonString(), etag);

        Assert.True(response.Status == HttpStatusCode.OK, response.ToString());
        Assert.Equal(ProvisioningStatus.Disabled, (await Endpoint.Store.GetEnrollmentGroupAsync("group-a"))!.Status);
    }

    [Fact]
    public async Task Etags_guard_replace_and_delete()
    {
        var etag = await Client.CreateGroupAsync("group-a", Pki.A.Certificate);
        var disabled = RestBodies.Group("group-a", Pki.A.Certificate, "disabled");

        await RestArrange.AssertErrorAsync(Client.PutAsync("/enrollmentGroups/group-a", disabled), HttpStatusCode.Conflict, "exists");
        await RestArrange.AssertErrorAsync(Client.PutAsync("/enrollmentGroups/group-a", disabled, "\"stale\""), HttpStatusCode.PreconditionFailed, "changed");
        await RestArrange.AssertErrorAsync(Client.PutAsync("/enrollmentGroups/group-new", disabled.Replace("group-a", "group-new", StringComparison.Ordinal), "\"stale\""),
            HttpStatusCode.PreconditionFailed, "does not exist");
        await RestArrange.AssertErrorAsync(Client.DeleteAsync("/enrollmentGroups/group-a", "\"stale\""), HttpStatusCode.PreconditionFailed, "changed");
        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("/enrollmentGroups/group-a", etag)).Status);
    }

    [Fact]
    public async Task Query_lists_the_groups()
    {
        await Client.CreateGroupAsync("group-a", Pki.A.Certificate);
        await Client.CreateGroupAsync("group-b", Pki.B.Certificate, "disabled");

        var page = await Client.PostAsync("/enrollmentGroups/query", RestBodies.QueryAll);

        Assert.Equal(["group-a", "group-b"], page.Json.EnumerateArray().Select(g => g.GetProperty("enrollmentGroupId").GetString()));
        Assert.Equal("EnrollmentGroup", page.Headers.GetValues("x-ms-item-type").Single());
    }

    [Fact]
    public async Task A_group_attestation_that_is_not_a_signing_certificate_is_refused_naming_the_field()
    {
        await RestArrange.AssertErrorAsync(Client.PutAsync("/enrollmentGroups/g", RestBodies.Group("g", Pki[1].Leaf)),
            HttpStatusCode.BadRequest, "'attestation.x509.signingCertificates.primary.certificate'", "not a CA certificate");
        await RestArrange.AssertErrorAsync(Client.PutAsync("/enrollmentGroups/g", RestBodies.Individual("g", Pki[1].Leaf).Replace("registrationId", "enrollmentGroupId", StringComparison.Ordinal)),
            HttpStatusCode.BadRequest, "'attestation.x509.clientCertificates' is for individual enrollments");
        await RestArrange.AssertErrorAsync(Client.PutAsync("/enrollmentGroups/g", """{"attestation": {"type": "x509", "x509": {}}}"""),
            HttpStatusCode.BadRequest, "'attestation.x509.signingCertificates' or 'attestation.x509.caReferences' is required");
        await RestArrange.AssertErrorAsync(Client.PutAsync("/enrollmentGroups/g", RestBodies.Group("g", Pki.A.Certificate, change: b =>
            b["attestation"]!["x509"]!["caReferences"] = new JsonObject { ["primary"] = "root" })), HttpStatusCode.BadRequest, "has both signingCertificates and caReferences");
        await RestArrange.AssertErrorAsync(Client.PutAsync("/enrollmentGroups/g", RestBodies.Group("other", Pki.A.Certificate)),
            HttpStatusCode.BadRequest, "'enrollmentGroupId' is 'other', but the path names 'g'");
    }
}
