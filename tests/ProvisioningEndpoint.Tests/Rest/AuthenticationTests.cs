using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using ProvisioningEndpoint.Rest.Auth;
using ProvisioningEndpoint.Tests.Support;

namespace ProvisioningEndpoint.Tests.Rest;

/// <summary>
/// Shared access signatures as DPS and IoT Hub check them, on every route: no token, not a SAS,
/// a SAS missing a field, expired, forged (another key), another policy, another service: 401
/// with a DPS-style (or IoT Hub style) error and the reason, before any body is read.
/// </summary>
public sealed class AuthenticationTests(SharedEndpoint shared) : IClassFixture<SharedEndpoint>
{
    [Theory]
    [MemberData(nameof(RestRoutes.ProvisioningRoutes), MemberType = typeof(RestRoutes))]
    public async Task Every_provisioning_route_refuses_missing_malformed_expired_and_forged_tokens(string method, string path) =>
        await AssertRefusesBadTokens(shared.Provisioning, method, path, otherPolicy: "iothubowner");

    [Theory]
    [MemberData(nameof(RestRoutes.RegistryRoutes), MemberType = typeof(RestRoutes))]
    public async Task Every_hub_registry_route_refuses_missing_malformed_expired_and_forged_tokens(string method, string path) =>
        await AssertRefusesBadTokens(shared.Registry, method, path, otherPolicy: "provisioningserviceowner");

    [Fact]
    public async Task A_token_signed_over_the_raw_resource_as_the_Node_SDK_makes_it_is_accepted()
    {
        var client = shared.Provisioning;
        var se = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var sig = Convert.ToBase64String(HMACSHA256.HashData(shared.Endpoint.Data.ReadOwnerKey(), Encoding.UTF8.GetBytes(client.Resource + "\n" + se)));
        var token = $"SharedAccessSignature sr={client.Resource}&sig={Uri.EscapeDataString(sig)}&skn=provisioningserviceowner&se={se}";

        var response = await client.SendAsync(HttpMethod.Get, "/certificates", authorization: token);

        Assert.Equal(HttpStatusCode.OK, response.Status);
    }

    [Fact]
    public async Task A_token_for_another_address_of_the_same_listener_is_accepted()
    {
        var token = shared.Provisioning.Token(resource: $"127.0.0.1:{shared.Endpoint.Configuration.RestPort}");

        Assert.Equal(HttpStatusCode.OK, (await shared.Provisioning.SendAsync(HttpMethod.Get, "/certificates", authorization: token)).Status);
    }

    [Fact]
    public async Task A_token_scoped_to_a_path_covers_that_path_only()
    {
        var token = shared.Provisioning.Token(resource: shared.Provisioning.Resource + "/certificates");

        Assert.Equal(HttpStatusCode.OK, (await shared.Provisioning.SendAsync(HttpMethod.Get, "/certificates", authorization: token)).Status);
        await RestArrange.AssertErrorAsync(shared.Provisioning.SendAsync(HttpMethod.Get, "/hubs", authorization: token), HttpStatusCode.Unauthorized, "not for this service");
    }

    [Fact]
    public async Task A_hub_token_does_not_open_the_provisioning_service()
    {
        var hubToken = shared.Registry.Token();

        await RestArrange.AssertErrorAsync(shared.Provisioning.SendAsync(HttpMethod.Get, "/certificates", authorization: hubToken),
            HttpStatusCode.Unauthorized, "policy 'iothubowner'");
    }

    [Fact]
    public void A_token_never_shows_its_signature_when_printed()
    {
        var token = SharedAccessSignature.Parse(shared.Provisioning.Token());

        Assert.DoesNotContain(token.Signature, token.ToString(), StringComparison.Ordinal);
    }

    private static async Task AssertRefusesBadTokens(RestClient client, string method, string path, string otherPolicy)
    {
        var forgedKey = RandomNumberGenerator.GetBytes(32);
        var valid = client.Token();
        var cases = new (string Authorization, string Reason)[]
        {
            ("", "no Authorization header"),
            ("Bearer abc", "is not a SharedAccessSignature"),
            (valid.Replace("&se=", "&xx=", StringComparison.Ordinal), "no 'se' field"),
            (client.Token(lifetime: TimeSpan.FromMinutes(-1)), "expired"),
            (client.Token(key: forgedKey), "does not verify with the key"),
            (client.Token(policy: otherPolicy, key: forgedKey), $"policy '{otherPolicy}'"),
            (client.Token(resource: "contoso.azure-devices-provisioning.net"), "not for this service"),
        };
        foreach (var (authorization, reason) in cases)
        {
            // A malformed body must not matter: authentication comes first.
            var response = await client.SendAsync(new HttpMethod(method), path, json: method is "PUT" or "POST" ? "{not json" : null, authorization: authorization);
            Assert.True(response.Status == HttpStatusCode.Unauthorized, $"{method} {path} with '{reason}' token: {response}");
            Assert.Equal(401002, response.ErrorCode);
            Assert.Contains(reason, response.Message, StringComparison.Ordinal);
            if (authorization.Contains("sig=", StringComparison.Ordinal))
                Assert.DoesNotContain(authorization.Split("sig=")[1].Split('&')[0], response.Body, StringComparison.Ordinal);
        }
    }
}
