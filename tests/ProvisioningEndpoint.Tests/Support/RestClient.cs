using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using ProvisioningEndpoint.Rest.Auth;
using ProvisioningEndpoint.Setup;

namespace ProvisioningEndpoint.Tests.Support;

/// <summary>A response of the REST API, with its JSON parsed.</summary>
internal sealed record RestResponse(HttpStatusCode Status, string Body, HttpResponseHeaders Headers)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    /// <summary>The extended error code of an error body (DPS and hub styles both carry it).</summary>
    public int ErrorCode => Json.GetProperty("errorCode").GetInt32();

    /// <summary>The error message (DPS style "message", or the text of the hub style "Message").</summary>
    public string Message => Json.TryGetProperty("message", out var m) ? m.GetString()! : Json.GetProperty(nameof(Message)).GetString()!;

    public override string ToString() => $"{(int)Status} {Body}";
}

/// <summary>
/// An HTTPS client of the endpoint's REST API that trusts only the endpoint's server CA and
/// signs every request with a shared access signature made from the owner key (or sends what a
/// test gives it instead).
/// </summary>
internal sealed class RestClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly byte[] _key;

    private RestClient(HttpClient http, byte[] key, string resource, string policy)
    {
        _http = http;
        _key = key;
        Resource = resource;
        Policy = policy;
    }

    public string Resource { get; }

    public string Policy { get; }

    /// <summary>A client of the provisioning service on the REST port.</summary>
    public static RestClient Provisioning(EndpointUnderTest endpoint) =>
        Create(endpoint, endpoint.Configuration.RestPort, EndpointDataDirectory.OwnerPolicy);

    /// <summary>A client of a hub's registry port, as IoT Hub service clients address it.</summary>
    public static RestClient HubRegistry(EndpointUnderTest endpoint, int hubIndex = 0) =>
        Create(endpoint, endpoint.Configuration.Hubs[hubIndex].RegistryPort, EndpointDataDirectory.HubOwnerPolicy);

    /// <summary>
    /// A client of the provisioning service of one instance behind a load balancer: it connects to
    /// <paramref name="port"/>, and signs for the service's advertised <paramref name="restPort"/>.
    /// </summary>
    public static RestClient Provisioning(string serverCaPath, byte[] ownerKey, int port, int restPort) =>
        Create(serverCaPath, ownerKey, port, EndpointDataDirectory.OwnerPolicy, restPort);

    private static RestClient Create(EndpointUnderTest endpoint, int port, string policy) =>
        Create(endpoint.ServerCaPath, endpoint.Data.ReadOwnerKey(), port, policy, port);

    private static RestClient Create(string serverCaPath, byte[] ownerKey, int port, string policy, int resourcePort)
    {
        var anchors = new X509Certificate2Collection();
        anchors.ImportFromPemFile(serverCaPath);
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => Trusted(certificate, errors, anchors),
            },
        };
        var http = new HttpClient(handler) { BaseAddress = new Uri($"https://localhost:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        return new RestClient(http, ownerKey, $"localhost:{resourcePort}", policy);
    }

    /// <summary>A valid token for this client's service.</summary>
    public string Token(TimeSpan? lifetime = null, string? resource = null, string? policy = null, byte[]? key = null) =>
        SharedAccessSignature.Create(resource ?? Resource, policy ?? Policy, key ?? _key, DateTimeOffset.UtcNow + (lifetime ?? TimeSpan.FromHours(1)));

    /// <summary>Sends a request. <paramref name="authorization"/>: null = a valid token, "" = no header, else the header as given.</summary>
    public async Task<RestResponse> SendAsync(HttpMethod method, string path, string? json = null, string? ifMatch = null,
        string? authorization = null, IReadOnlyDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        if (ifMatch is not null)
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        var header = authorization ?? Token();
        if (header.Length > 0)
            request.Headers.TryAddWithoutValidation("Authorization", header);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            request.Headers.TryAddWithoutValidation(name, value);
        using var response = await _http.SendAsync(request);
        return new RestResponse(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers);
    }

    public Task<RestResponse> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public Task<RestResponse> PutAsync(string path, string json, string? ifMatch = null) => SendAsync(HttpMethod.Put, path, json, ifMatch);

    public Task<RestResponse> PostAsync(string path, string json, string? ifMatch = null) => SendAsync(HttpMethod.Post, path, json, ifMatch);

    public Task<RestResponse> DeleteAsync(string path, string? ifMatch = null) => SendAsync(HttpMethod.Delete, path, null, ifMatch);

    public void Dispose() => _http.Dispose();

    /// <summary>True when the server certificate chains to <paramref name="anchors"/> and names the host.</summary>
    internal static bool Trusted(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection anchors)
    {
        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(anchors);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        return chain.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }
}
