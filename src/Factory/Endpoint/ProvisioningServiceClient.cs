using System.Net;
using System.Net.Http.Headers;
using System.Security.Authentication;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Factory.Endpoint;

/// <summary>
/// A client of the provisioning service's REST API (the local endpoint's, or DPS's for the
/// enrollment routes): HTTPS, a fresh shared access signature per request, DPS and IoT Hub
/// error bodies turned into <see cref="ProvisioningServiceException"/>. Thread-safe.
/// </summary>
internal sealed partial class ProvisioningServiceClient : IDisposable
{
    private const string DpsApiVersion = "2021-10-01";
    private const string HubApiVersion = "2021-04-12";
    private static readonly MediaTypeHeaderValue s_json = new("application/json") { CharSet = "utf-8" };

    private readonly HttpClient _http;
    private readonly ServiceConnectionString _connection;
    private readonly ServiceTrust _trust;

    public ProvisioningServiceClient(ServiceConnectionString connection, ServiceTrust trust, TimeSpan? timeout = null)
    {
        _connection = connection;
        _trust = trust;
        var handler = new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = trust.Callback } };
        _http = new HttpClient(handler) { BaseAddress = connection.BaseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(30) };
    }

    /// <summary>The service's host name (with its port).</summary>
    public string HostName => _connection.HostName;

    public void Dispose() => _http.Dispose();

    /// <summary>Sends a request; null for 404 when <paramref name="notFoundIsNull"/>.</summary>
    /// <exception cref="ProvisioningServiceException">The service refused it, or could not be reached.</exception>
    private async Task<T?> SendAsync<T>(HttpMethod method, string path, JsonTypeInfo<T>? responseType, CancellationToken cancellationToken,
        string? body = null, string? ifMatch = null, bool notFoundIsNull = false, IDictionary<string, string>? headers = null,
        Action<HttpResponseHeaders>? readHeaders = null) where T : class
    {
        using var request = new HttpRequestMessage(method, path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "api-version="
            + (path.StartsWith("/hubs/", StringComparison.Ordinal) ? HubApiVersion : DpsApiVersion));
        request.Headers.TryAddWithoutValidation("Authorization",
            SharedAccessToken.Create(_connection.HostName, _connection.KeyName, _connection.Key, DateTimeOffset.UtcNow.AddHours(1)));
        if (ifMatch is not null)
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            request.Headers.TryAddWithoutValidation(name, value);
        if (body is not null)
            request.Content = new StringContent(body, Encoding.UTF8, s_json);

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw Unreachable(e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ProvisioningServiceException("endpoint.unreachable", 0, $"the service at {_connection.HostName} did not answer within {_http.Timeout.TotalSeconds:0} s",
                "check that it is running and reachable", e);
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound && notFoundIsNull)
                return null;
            if (!response.IsSuccessStatusCode)
                throw Refused(method, path, response.StatusCode, text);
            readHeaders?.Invoke(response.Headers);
            if (responseType is null || text.Length == 0)
                return null;
            try
            {
                return JsonSerializer.Deserialize(text, responseType);
            }
            catch (JsonException e)
            {
                throw new ProvisioningServiceException("endpoint.failed", (int)response.StatusCode,
                    $"the service answered {method} {path} with a body that is not what bringup expects ({e.Message})", "check that the connection string names a DPS-compatible provisioning service", e);
            }
        }
    }

    private static string Json<T>(T value, JsonTypeInfo<T> type) => JsonSerializer.Serialize(value, type);

    private ProvisioningServiceException Unreachable(HttpRequestException e)
    {
        var tls = e.InnerException is AuthenticationException || e.HttpRequestError == HttpRequestError.SecureConnectionError;
        return tls
            ? new ProvisioningServiceException("endpoint.untrusted", 0,
                $"the TLS connection to {_connection.HostName} failed: its server certificate is not trusted by {_trust.Description} or does not name the host ({e.Message})",
                "pass --trust with the endpoint's server CA (provisioning-endpoint info --json: serverCaCertificate)", e)
            : new ProvisioningServiceException("endpoint.unreachable", 0, $"cannot reach the service at {_connection.HostName}: {e.Message}",
                "check that the endpoint is running and the connection string's HostName (host:port)", e);
    }

    private static ProvisioningServiceException Refused(HttpMethod method, string path, HttpStatusCode status, string body)
    {
        string? message = null;
        try
        {
            var error = JsonSerializer.Deserialize(body, ServiceJson.Default.ServiceError);
            message = error?.Message ?? (error?.HubMessage is { } hub && hub.IndexOf(';', StringComparison.Ordinal) is var semicolon and > 0 ? hub[(semicolon + 1)..] : error?.HubMessage);
        }
        catch (JsonException)
        {
            // not an error body of the service: the status says enough
        }
        var what = $"{method} {path.Split('?')[0]}";
        var code = (int)status;
        return status switch
        {
            HttpStatusCode.Unauthorized => new("endpoint.unauthorized", code, $"the service refused the credentials: {message ?? "401"}",
                "check the connection string (provisioning-endpoint info --json prints it; PROVISIONING_CONNECTION_STRING)"),
            HttpStatusCode.NotFound => new("endpoint.not-found", code, message ?? $"{what}: not found", "check the id or name"),
            HttpStatusCode.Conflict => new("endpoint.conflict", code, message ?? $"{what}: conflict", "see the message"),
            HttpStatusCode.PreconditionFailed => new("endpoint.changed", code, message ?? $"{what}: changed meanwhile", "someone changed it meanwhile; run the command again"),
            HttpStatusCode.BadRequest => new("endpoint.bad-request", code, message ?? $"{what}: bad request", "see the message"),
            _ => new("endpoint.failed", code, $"{what} failed with {code}: {message ?? body}", "see the endpoint's log (the tracking id finds the cause)"),
        };
    }
}
