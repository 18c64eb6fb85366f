using System.Net;
using System.Text.Json.Nodes;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Tests.Support;

namespace ProvisioningEndpoint.Tests.Rest;

/// <summary>The individual enrollment routes: create, read, replace with etags, delete, query; and what they refuse.</summary>
public sealed class IndividualEnrollmentRoutesTests() : RestTest(hubs: 2)
{
    [Fact]
    public async Task Create_then_get_shows_the_enrollment_as_DPS_does()
    {
        var created = await Client.PutAsync("/enrollments/device-1", RestBodies.Individual("device-1", Pki[1].Leaf, change: b =>
        {
            b["initialTwin"] = JsonNode.Parse("""{"tags": {"line": "7"}, "properties": {"desired": {"interval": 30}}}""");
            b["allocationPolicy"] = "static";
            b["iotHubs"] = new JsonArray("hub2");
        }));
        Assert.True(created.Status == HttpStatusCode.OK, created.ToString());

        var read = (await Client.GetAsync("/enrollments/device-1")).Json;
        Assert.Equal("device-1", read.GetProperty("registrationId").GetString());
        Assert.Equal("x509", read.GetProperty("attestation").GetProperty("type").GetString());
        var info = read.GetProperty("attestation").GetProperty("x509").GetProperty("clientCertificates").GetProperty("primary").GetProperty("info");
        Assert.Equal(Pki[1].Leaf.Thumbprint, info.GetProperty("sha1Thumbprint").GetString());
        Assert.Equal("CN=device-1", info.GetProperty("subjectName").GetString());
        Assert.Equal("enabled", read.GetProperty("provisioningStatus").GetString());
        Assert.Equal("static", read.GetProperty("allocationPolicy").GetString());
        Assert.Equal(Endpoint.Configuration.Hubs[1].AssignedHub, read.GetProperty("iotHubHostName").GetString());
        Assert.Equal("7", read.GetProperty("initialTwin").GetProperty("tags").GetProperty("line").GetString());
        Assert.Equal(created.Json.GetProperty("etag").GetString(), read.GetProperty("etag").GetString());
        var stored = (await Endpoint.Store.GetIndividualEnrollmentAsync("device-1"))!;
        Assert.Equal(new AllocationSettings(AllocationPolicy.Static, ["hub2"], "hub2").StaticHub, stored.Allocation.StaticHub);
    }

    [Fact]
    public async Task Creating_over_an_existing_enrollment_without_If_Match_is_a_409_and_a_stale_etag_a_412()
    {
        var etag = (await Client.PutAsync("/enrollments/device-1", RestBodies.Individual("device-1", Pki[1].Leaf))).Json.GetProperty("etag").GetString()!;
        var disabled = RestBodies.Individual("device-1", Pki[1].Leaf, "disabled");

        await RestArrange.AssertErrorAsync(Client.PutAsync("/enrollments/device-1", disabled), HttpStatusCode.Conflict, "exists", "If-Match");
        var replaced = await Client.PutAsync("/enrollments/device-1", disabled, etag);
        Assert.Equal(HttpStatusCode.OK, replaced.Status);
        await RestArrange.AssertErrorAsync(Client.PutAsync("/enrollments/device-1", disabled, etag), HttpStatusCode.PreconditionFailed, "changed");
        await RestArrange.AssertErrorAsync(Client.DeleteAsync("/enrollments/device-1", etag), HttpStatusCode.PreconditionFailed, "changed");
        Assert.Equal(HttpStatusCode.OK, (await Client.PutAsync("/enrollments/device-1", disabled, "*")).Status);
        Assert.Equal(ProvisioningStatus.Disabled, (await Endpoint.Store.GetIndividualEnrollmentAsync("device-1"))!.Status);
    }

    [Fact]
    public async Task AClient_that_sends_back_what_it_read_keeps_the_certificate()
    {
        await Client.PutAsync("/enrollments/device-1", RestBodies.Individual("device-1", Pki[1].Leaf));
        var read = JsonNode.Parse((await Client.GetAsync("/enrollments/device-1")).Body)!.AsObject();
        read["provisioningStatus"] = "disabled";

        var updated = await Client.PutAsync("/enrollments/device-1", read.ToJsonString(), read["etag"]!.GetValue<string>());

        Assert.True(updated.Status == HttpStatusCode.OK, updated.ToString());
        var stored = (await Endpoint.Store.GetIndividualEnrollmentAsync("device-1"))!;
        Assert.Equal(ProvisioningStatus.Disabled, stored.Status);
        Assert.Equal(Pki[1].Leaf.RawData, stored.ClientCertificate);
    }

    [Fact]
    public async Task Delete_removes_it_and_then_it_is_404()
    {
        await Client.PutAsync("/enrollments/device-1", RestBodies.Individual("device-1", Pki[1].Leaf));

        Assert.Equal(HttpStatusCode.NoContent, (await Client.DeleteAsync("/enrollments/device-1")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/enrollments/device-1")).Status);
    }

    [Fact]
    public async Task Query_pages_through_every_enrollment_with_continuation_tokens()
    {
        foreach (var n in Enumerable.Range(1, 5))
            await Client.PutAsync($"/enrollments/device-{n}", RestBodies.Individual($"device-{n}", Pki[n].Leaf));

        var ids = new List<string>();
        string? continuation = null;
        do
        {
            var headers = new Dictionary<string, string> { ["x-ms-max-item-count"] = "2" };
            if (continuation is not null)
                headers["x-ms-continuation"] = continuation;
            var page = await Client.SendAsync(HttpMethod.Post, "/enrollments/query", RestBodies.QueryAll, headers: headers);
            Assert.Equal("Enrollment", page.Headers.GetValues("x-ms-item-type").Single());
            ids.AddRange(page.Json.EnumerateArray().Select(e => e.GetProperty("registrationId").GetString()!));
            continuation = page.Headers.TryGetValues("x-ms-continuation", out var values) ? values.Single() : null;
        }
        while (continuation is not null);

        Assert.Equal(["device-1", "device-2", "device-3", "device-4", "device-5"], ids);
    }

    public static TheoryData<string, string> BadEnrollments() => new()
    {
        { """{"registrationId": "device-1"}""", "'attestation' is required" },
        { """{"attestation": {"type": "tpm", "tpm": {"endorsementKey": "AA=="}}}""", "'attestation.tpm.endorsementKey' is not a TPM2B_PUBLIC" },
        { """{"attestation": {"type": "tpm", "tpm": {}}}""", "'attestation.tpm.endorsementKey' is required for type 'tpm'" },
        { """{"attestation": {"type": "symmetricKey"}}""", "'attestation.type' is 'symmetricKey'" },
        { """{"attestation": {"type": "x509"}}""", "'attestation.x509' is required" },
        { """{"attestation": {"type": "x509", "x509": {}}}""", "'attestation.x509.clientCertificates' is required" },
        { """{"attestation": {"type": "x509", "x509": {"clientCertificates": {"primary": {"certificate": "not base64!"}}}}}""", "'attestation.x509.clientCertificates.primary.certificate' is neither a PEM certificate nor base64 DER" },
        { """{"attestation": {"type": "x509", "x509": {"clientCertificates": {"primary": {"certificate": "AAAA"}}}}}""", "'attestation.x509.clientCertificates.primary.certificate' is not an X.509 certificate" },
        { """{"attestation": {"type": "x509", "x509": {"signingCertificates": {"primary": {"certificate": "AAAA"}}}}}""", "'attestation.x509.signingCertificates' is for enrollment groups" },
        { """{"attestation": {"type": "x509", "x509": {"caReferences": {"primary": "root"}}}}""", "'attestation.x509.caReferences' is for enrollment groups" },
    };

    [Theory]
    [MemberData(nameof(BadEnrollments))]
    public async Task An_enrollment_with_a_missing_or_invalid_attestation_is_refused_naming_the_field(string body, string message) =>
        await RestArrange.AssertErrorAsync(Client.PutAsync("/enrollments/device-1", body), HttpStatusCode.BadRequest, message);

    public static TheoryData<string, string, string> BadFields() => new()
    {
        { "provisioningStatus", "\"paused\"", "'provisioningStatus' is 'paused'; expected 'enabled' or 'disabled'" },
        { "allocationPolicy", "\"custom\"", "'allocationPolicy' is 'custom'" },
        { "allocationPolicy", "\"roundRobin\"", "'allocationPolicy' is 'roundRobin'" },
        { "iotHubs", "[\"hub1\", \"contoso.azure-devices.net\"]", "'iotHubs[1]' 'contoso.azure-devices.net' is not a hub of this endpoint; its hubs are hub1" },
        { "initialTwin", "[1]", "'initialTwin' must be an object" },
        { "initialTwin", "{\"properties\": {\"desired\": 3}}", "'initialTwin.properties.desired' must be an object" },
        { "registrationId", "\"device-2\"", "'registrationId' is 'device-2', but the path names 'device-1'" },
        { "deviceId", "\"bad/id\"", "'deviceId' 'bad/id' is not a valid device id" },
        { "capabilities", "{\"iotEdge\": true}", "'capabilities.iotEdge' is true" },
    };

    [Theory]
    [MemberData(nameof(BadFields))]
    public async Task An_invalid_field_is_refused_by_name(string field, string json, string message) =>
        await RestArrange.AssertErrorAsync(Client.PutAsync("/enrollments/device-1",
            RestBodies.Individual("device-1", Pki[1].Leaf, change: b => b[field] = JsonNode.Parse(json))), HttpStatusCode.BadRequest, message);

    [Fact]
    public async Task A_certificate_whose_CN_is_not_the_registration_id_is_refused()
    {
        await RestArrange.AssertErrorAsync(Client.PutAsync("/enrollments/device-1", RestBodies.Individual("device-1", Pki[2].Leaf)),
            HttpStatusCode.BadRequest, "subject CN 'device-2'", "must have CN = its registration id 'device-1'");
    }

    [Fact]
    public async Task A_second_certificate_is_refused()
    {
        await RestArrange.AssertErrorAsync(Client.PutAsync("/enrollments/device-1", RestBodies.Individual("device-1", Pki[1].Leaf, change: b =>
            b["attestation"]!["x509"]!["clientCertificates"]!["secondary"] = new JsonObject { ["certificate"] = RestBodies.Pem(Pki[1].Leaf) })),
            HttpStatusCode.BadRequest, "'attestation.x509.clientCertificates.secondary' is not supported");
    }

    [Fact]
    public async Task A_PEM_with_two_certificates_is_refused_and_base64_DER_is_accepted()
    {
        var twoPem = RestBodies.Pem(Pki[1].Leaf) + "\n" + RestBodies.Pem(Pki.A.Certificate);
        await RestArrange.AssertErrorAsync(Client.PutAsync("/enrollments/device-1", RestBodies.Individual("device-1", Pki[1].Leaf, change: b =>
            b["attestation"]!["x509"]!["clientCertificates"]!["primary"]!["certificate"] = twoPem)), HttpStatusCode.BadRequest, "holds 2 certificates; expected one");

        var der = await Client.PutAsync("/enrollments/device-1", RestBodies.Individual("device-1", Pki[1].Leaf, change: b =>
            b["attestation"]!["x509"]!["clientCertificates"]!["primary"]!["certificate"] = RestBodies.Base64(Pki[1].Leaf)));
        Assert.Equal(HttpStatusCode.OK, der.Status);
    }

    [Fact]
    public async Task An_invalid_registration_id_in_the_path_is_refused()
    {
        await RestArrange.AssertErrorAsync(Client.PutAsync("/enrollments/bad%20id", RestBodies.Individual("bad id", Pki[1].Leaf)),
            HttpStatusCode.BadRequest, "'registrationId' 'bad id' is refused");
    }

    [Fact]
    public async Task A_filtered_query_and_bad_paging_headers_are_refused()
    {
        await RestArrange.AssertErrorAsync(Client.PostAsync("/enrollments/query", """{"query": "SELECT * FROM enrollments WHERE provisioningStatus = 'disabled'"}"""),
            HttpStatusCode.BadRequest, "this endpoint answers only \"*\"");
        await RestArrange.AssertErrorAsync(Client.PostAsync("/enrollments/query", "{}"), HttpStatusCode.BadRequest, "'query' is required");
        await RestArrange.AssertErrorAsync(Client.SendAsync(HttpMethod.Post, "/enrollments/query", RestBodies.QueryAll,
            headers: new Dictionary<string, string> { ["x-ms-max-item-count"] = "0" }), HttpStatusCode.BadRequest, "'x-ms-max-item-count'");
        await RestArrange.AssertErrorAsync(Client.SendAsync(HttpMethod.Post, "/enrollments/query", RestBodies.QueryAll,
            headers: new Dictionary<string, string> { ["x-ms-continuation"] = "forged" }), HttpStatusCode.BadRequest, "'x-ms-continuation'");
        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsync("/enrollments/query", """{"query": "select * from enrollments"}""")).Status);
    }
}
