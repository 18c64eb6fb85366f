using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;

namespace ProvisioningEndpoint.Tests.Support;

/// <summary>Request bodies of the REST API, as the DPS and ARM shapes spell them.</summary>
internal static class RestBodies
{
    public static string Pem(X509Certificate2 certificate) => certificate.ExportCertificatePem();

    public static string Base64(X509Certificate2 certificate) => Convert.ToBase64String(certificate.RawData);

    public static string Individual(string registrationId, X509Certificate2 leaf, string status = "enabled", Action<JsonObject>? change = null)
    {
        var body = new JsonObject
        {
            ["registrationId"] = registrationId,
            ["attestation"] = new JsonObject
            {
                ["type"] = "x509",
                ["x509"] = new JsonObject { ["clientCertificates"] = new JsonObject { ["primary"] = new JsonObject { ["certificate"] = Pem(leaf) } } },
            },
            ["provisioningStatus"] = status,
        };
        change?.Invoke(body);
        return body.ToJsonString();
    }

    public static string Group(string groupId, X509Certificate2 signing, string status = "enabled", Action<JsonObject>? change = null) =>
        GroupWith(groupId, new JsonObject { ["signingCertificates"] = new JsonObject { ["primary"] = new JsonObject { ["certificate"] = Pem(signing) } } }, status, change);

    public static string GroupByReference(string groupId, string caName, string status = "enabled") =>
        GroupWith(groupId, new JsonObject { ["caReferences"] = new JsonObject { ["primary"] = caName } }, status, null);

    public static string Certificate(X509Certificate2 certificate) =>
        new JsonObject { ["properties"] = new JsonObject { ["certificate"] = Pem(certificate) } }.ToJsonString();

    public static string Verification(X509Certificate2 certificate) =>
        new JsonObject { ["certificate"] = Pem(certificate) }.ToJsonString();

    public const string QueryAll = """{"query": "*"}""";

    private static string GroupWith(string groupId, JsonObject x509, string status, Action<JsonObject>? change)
    {
        var body = new JsonObject
        {
            ["enrollmentGroupId"] = groupId,
            ["attestation"] = new JsonObject { ["type"] = "x509", ["x509"] = x509 },
            ["provisioningStatus"] = status,
        };
        change?.Invoke(body);
        return body.ToJsonString();
    }
}
