using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using DeviceAgent.TestPeers;

namespace ProvisioningEndpoint.Tests.Support;

/// <summary>
/// A device's client of DPS's HTTPS device API on the endpoint's device HTTPS port: trusts only
/// the endpoint's server CA; presents a device certificate and its intermediates when given one.
/// </summary>
internal sealed class DeviceHttpsClient : IDisposable
{
    private const string ApiVersion = "2019-03-31";
    private readonly HttpClient _http;
    private readonly X509Certificate2? _leafWithKey;

    public DeviceHttpsClient(EndpointUnderTest endpoint, TestDevice? device = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        IdScope = endpoint.Configuration.IdScope;
        var anchors = new X509Certificate2Collection();
        anchors.ImportFromPemFile(endpoint.ServerCaPath);
        var ssl = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                if (certificate is null)
                    return false;
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(anchors);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
            },
        };
        if (device is not null)
        {
            _leafWithKey = device.Leaf.CopyWithPrivateKey(device.Key);
            ssl.ClientCertificateContext = SslStreamCertificateContext.Create(_leafWithKey, [.. device.Issuer.ChainBelowRoot], offline: true);
        }
        _http = new HttpClient(new SocketsHttpHandler { SslOptions = ssl })
        {
            BaseAddress = new Uri($"https://localhost:{endpoint.Configuration.DeviceHttpsPort}"),
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public string IdScope { get; set; }

    public Task<RestResponse> RegisterAsync(string registrationId, string body, string? authorization = null, string? apiVersion = ApiVersion) =>
        SendAsync(HttpMethod.Put, $"/{IdScope}/registrations/{registrationId}/register{Query(apiVersion)}", body, authorization);

    public Task<RestResponse> PollAsync(string registrationId, string operationId, string? authorization = null) =>
        SendAsync(HttpMethod.Get, $"/{IdScope}/registrations/{registrationId}/operations/{operationId}{Query(ApiVersion)}", null, authorization);

    private static string Query(string? apiVersion) => apiVersion is null ? "" : $"?api-version={apiVersion}";

    private async Task<RestResponse> SendAsync(HttpMethod method, string path, string? json, string? authorization)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        if (authorization is not null)
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        using var response = await _http.SendAsync(request);
        return new RestResponse(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers);
    }

    public void Dispose()
    {
        _http.Dispose();
        _leafWithKey?.Dispose();
    }
}
