using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace ProvisioningEndpoint.Tests.Support;

/// <summary>Scrapes an endpoint's <c>/metrics</c> over HTTPS as Prometheus does: no credentials, the server CA trusted.</summary>
internal static class MetricsScrape
{
    /// <summary>GETs <paramref name="url"/> (default: /metrics on the REST port) and returns the status, content type and body.</summary>
    public static async Task<(HttpStatusCode Status, string? ContentType, string Body)> GetAsync(EndpointUnderTest endpoint, string? url = null)
    {
        var anchors = new X509Certificate2Collection();
        anchors.ImportFromPemFile(endpoint.ServerCaPath);
        using var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => RestClient.Trusted(certificate, errors, anchors),
            },
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.GetAsync(url ?? $"https://localhost:{endpoint.Configuration.RestPort}/metrics");
        return (response.StatusCode, response.Content.Headers.ContentType?.ToString(), await response.Content.ReadAsStringAsync());
    }

    /// <summary>Scrapes and parses; asserts 200 and the text format's content type.</summary>
    public static async Task<PrometheusText> ScrapeAsync(this EndpointUnderTest endpoint)
    {
        var (status, contentType, body) = await GetAsync(endpoint);
        Assert.True(status == HttpStatusCode.OK, $"/metrics answered {(int)status}: {body}");
        Assert.StartsWith("text/plain", contentType, StringComparison.Ordinal);
        return PrometheusText.Parse(body);
    }

    /// <summary>Scrapes until <paramref name="done"/> holds (the endpoint records some events after the client saw them end), at most 10 s.</summary>
    public static async Task<PrometheusText> ScrapeUntilAsync(this EndpointUnderTest endpoint, Func<PrometheusText, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var scrape = await endpoint.ScrapeAsync();
            if (done(scrape) || DateTime.UtcNow > deadline)
                return scrape;
            await Task.Delay(50);
        }
    }
}
