using System.Net;
using ProvisioningEndpoint.Tests.Support;

namespace ProvisioningEndpoint.Tests.Rest;

/// <summary>
/// Every route that reads a body answers 400 to one that is not what the API expects, and says
/// where: not JSON (line and byte), not an object, empty, or a field of the wrong JSON type
/// (named by its path).
/// </summary>
public sealed class MalformedBodyTests(MalformedBodyTests.Fixture fixture) : IClassFixture<MalformedBodyTests.Fixture>
{
    public sealed class Fixture : IAsyncLifetime
    {
        private readonly SharedEndpoint _shared = new();
        private readonly FiveDevices _pki = new();

        internal SharedEndpoint Shared => _shared;

        public async Task InitializeAsync()
        {
            await _shared.InitializeAsync();
            await _shared.Provisioning.UploadCaAsync("root", _pki.Root.Certificate);
            await _shared.Provisioning.GenerateCodeAsync("root");
        }

        public async Task DisposeAsync()
        {
            await _shared.DisposeAsync();
            _pki.Dispose();
        }
    }

    public static TheoryData<string, string, string, string> WrongTypes() => new()
    {
        // port, method, path, body whose field has the wrong type -> the field named
        { "rest", "PUT", "/enrollments/device-1", """{"provisioningStatus": 5}""" },
        { "rest", "PUT", "/enrollmentGroups/group-1", """{"attestation": "x509"}""" },
        { "rest", "POST", "/enrollments/query", """{"query": 1}""" },
        { "rest", "POST", "/enrollmentGroups/query", """{"query": {"text": "*"}}""" },
        { "rest", "POST", "/registrations/group-1/query", """{"query": true}""" },
        { "rest", "PUT", "/certificates/other", """{"properties": {"certificate": 12}}""" },
        { "rest", "POST", "/certificates/root/verify", """{"certificate": []}""" },
        { "rest", "PUT", "/hubs/hub1/devices/device-1", """{"status": true}""" },
        { "registry", "PUT", "/devices/device-1", """{"authentication": {"x509Thumbprint": "AB"}}""" },
    };

    private static readonly Dictionary<string, string> s_fields = new()
    {
        ["/enrollments/device-1"] = "'provisioningStatus'",
        ["/enrollmentGroups/group-1"] = "'attestation'",
        ["/enrollments/query"] = "'query'",
        ["/enrollmentGroups/query"] = "'query'",
        ["/registrations/group-1/query"] = "'query'",
        ["/certificates/other"] = "'properties.certificate'",
        ["/certificates/root/verify"] = "'certificate'",
        ["/hubs/hub1/devices/device-1"] = "'status'",
        ["/devices/device-1"] = "'authentication.x509Thumbprint'",
    };

    [Theory]
    [MemberData(nameof(WrongTypes))]
    public async Task A_body_that_is_not_JSON_is_refused_with_where_it_breaks(string port, string method, string path, string _) =>
        await RestArrange.AssertErrorAsync(Client(port).SendAsync(new HttpMethod(method), path, "{\"registrationId\": \n  oops}"),
            HttpStatusCode.BadRequest, "is not valid JSON (line 2, byte 3)");

    [Theory]
    [MemberData(nameof(WrongTypes))]
    public async Task A_body_that_is_not_an_object_is_refused(string port, string method, string path, string _) =>
        await RestArrange.AssertErrorAsync(Client(port).SendAsync(new HttpMethod(method), path, "[1, 2]"), HttpStatusCode.BadRequest, "is a JSON array");

    [Theory]
    [MemberData(nameof(WrongTypes))]
    public async Task An_empty_body_is_refused(string port, string method, string path, string _) =>
        await RestArrange.AssertErrorAsync(Client(port).SendAsync(new HttpMethod(method), path, ""), HttpStatusCode.BadRequest, "the request body is empty");

    [Theory]
    [MemberData(nameof(WrongTypes))]
    public async Task A_field_of_the_wrong_type_is_refused_by_name(string port, string method, string path, string body) =>
        await RestArrange.AssertErrorAsync(Client(port).SendAsync(new HttpMethod(method), path, body), HttpStatusCode.BadRequest,
            s_fields[path] + " does not have the JSON type");

    [Fact]
    public async Task A_body_over_one_MiB_is_refused()
    {
        var big = "{\"query\": \"" + new string('*', 1024 * 1024) + "\"}";

        await RestArrange.AssertErrorAsync(Client("rest").PostAsync("/enrollments/query", big), HttpStatusCode.BadRequest, "larger than 1024 KiB");
    }

    private RestClient Client(string port) => port == "rest" ? fixture.Shared.Provisioning : fixture.Shared.Registry;
}
