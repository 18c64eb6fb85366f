using System.Net;
using ProvisioningEndpoint.Tests.Support;

namespace ProvisioningEndpoint.Tests.Rest;

/// <summary>An id that names nothing is a 404 on every route that addresses one, with the error body of its API.</summary>
public sealed class UnknownIdTests(SharedEndpoint shared) : IClassFixture<SharedEndpoint>
{
    public static TheoryData<string, string, string, int, string> Routes() => new()
    {
        { "rest", "GET", "/enrollments/nobody", 404001, "no individual enrollment 'nobody'" },
        { "rest", "DELETE", "/enrollments/nobody", 404001, "no individual enrollment 'nobody'" },
        { "rest", "GET", "/enrollmentGroups/nogroup", 404001, "no enrollment group 'nogroup'" },
        { "rest", "DELETE", "/enrollmentGroups/nogroup", 404001, "no enrollment group 'nogroup'" },
        { "rest", "GET", "/registrations/nobody", 404001, "'nobody' has no registration record" },
        { "rest", "DELETE", "/registrations/nobody", 404001, "'nobody' has no registration record" },
        { "rest", "POST", "/registrations/nogroup/query", 404001, "no enrollment group 'nogroup'" },
        { "rest", "GET", "/certificates/nocert", 404001, "no CA certificate 'nocert'" },
        { "rest", "DELETE", "/certificates/nocert", 404001, "no CA certificate 'nocert'" },
        { "rest", "POST", "/certificates/nocert/generateVerificationCode", 404001, "no CA certificate 'nocert'" },
        { "rest", "POST", "/certificates/nocert/verify", 404001, "no CA certificate 'nocert'" },
        { "rest", "GET", "/hubs/hub1/devices/nodevice", 404001, "'nodevice' is not in the registry of hub 'hub1'" },
        { "rest", "DELETE", "/hubs/hub1/devices/nodevice", 404001, "'nodevice' is not in the registry of hub 'hub1'" },
        { "rest", "GET", "/hubs/hub1/twins/nodevice", 404001, "'nodevice' is not in the registry" },
        { "rest", "GET", "/hubs/hub1/devices/nodevice/messages/events", 404001, "'nodevice' is not in the registry" },
        { "rest", "GET", "/hubs/nohub/devices", 404002, "no hub 'nohub'" },
        { "rest", "GET", "/nothing/here", 404001, "serves no GET /nothing/here" },
        { "registry", "GET", "/devices/nodevice", 404001, "'nodevice' is not in the registry of hub 'hub1'" },
        { "registry", "DELETE", "/devices/nodevice", 404001, "'nodevice' is not in the registry" },
        { "registry", "GET", "/twins/nodevice", 404001, "'nodevice' is not in the registry" },
        { "registry", "GET", "/enrollments/nobody", 404001, "serves no GET /enrollments/nobody" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task An_unknown_id_is_a_404(string port, string method, string path, int errorCode, string message)
    {
        var client = port == "rest" ? shared.Provisioning : shared.Registry;

        var response = await client.SendAsync(new HttpMethod(method), path, json: method == "POST" ? RestBodies.QueryAll : null);

        Assert.True(response.Status == HttpStatusCode.NotFound, response.ToString());
        Assert.Equal(errorCode, response.ErrorCode);
        Assert.Contains(message, response.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hub_registry_errors_carry_the_IoT_Hub_error_name_the_SDKs_parse()
    {
        var response = await shared.Registry.GetAsync("/devices/nodevice");

        Assert.StartsWith("ErrorCode:DeviceNotFound;", response.Json.GetProperty("Message").GetString(), StringComparison.Ordinal);
    }
}
