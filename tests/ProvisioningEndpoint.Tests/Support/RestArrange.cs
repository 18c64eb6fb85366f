using System.Net;
using System.Security.Cryptography.X509Certificates;
using DeviceAgent.TestPeers;

namespace ProvisioningEndpoint.Tests.Support;

/// <summary>Arranges endpoint state through the REST API, asserting each step succeeds.</summary>
internal static class RestArrange
{
    public static async Task<string> UploadCaAsync(this RestClient client, string name, X509Certificate2 certificate)
    {
        var response = await client.PutAsync($"/certificates/{name}", RestBodies.Certificate(certificate));
        Assert.True(response.Status == HttpStatusCode.OK, $"upload of '{name}': {response}");
        return response.Json.GetProperty("etag").GetString()!;
    }

    public static async Task<(string Code, string Etag)> GenerateCodeAsync(this RestClient client, string name)
    {
        var response = await client.PostAsync($"/certificates/{name}/generateVerificationCode", "");
        Assert.True(response.Status == HttpStatusCode.OK, $"code for '{name}': {response}");
        return (response.Json.GetProperty("properties").GetProperty("verificationCode").GetString()!, response.Json.GetProperty("etag").GetString()!);
    }

    public static Task<RestResponse> VerifyAsync(this RestClient client, string name, X509Certificate2 verificationCertificate, string? ifMatch = null) =>
        client.PostAsync($"/certificates/{name}/verify", RestBodies.Verification(verificationCertificate), ifMatch);

    /// <summary>Upload, code, verification certificate signed by the CA's key, verify.</summary>
    public static async Task ProveAsync(this RestClient client, string name, TestCa ca)
    {
        await client.UploadCaAsync(name, ca.Certificate);
        var (code, etag) = await client.GenerateCodeAsync(name);
        using var verification = ca.SignVerificationCertificate(code);
        var response = await client.VerifyAsync(name, verification, etag);
        Assert.True(response.Status == HttpStatusCode.OK, $"verify '{name}': {response}");
    }

    public static async Task<string> CreateGroupAsync(this RestClient client, string groupId, X509Certificate2 signing, string status = "enabled")
    {
        var response = await client.PutAsync($"/enrollmentGroups/{groupId}", RestBodies.Group(groupId, signing, status));
        Assert.True(response.Status == HttpStatusCode.OK, $"group '{groupId}': {response}");
        return response.Json.GetProperty("etag").GetString()!;
    }

    public static async Task AssertErrorAsync(Task<RestResponse> call, HttpStatusCode status, params string[] messageContains)
    {
        var response = await call;
        Assert.True(response.Status == status, $"expected {(int)status}, got {response}");
        Assert.Equal((int)status, response.ErrorCode / 1000);
        foreach (var text in messageContains)
            Assert.Contains(text, response.Message, StringComparison.Ordinal);
    }
}
