using System.Text.Json.Nodes;

namespace Factory.Endpoint;

// CA certificates (the endpoint's ARM-like /certificates resources).
internal sealed partial class ProvisioningServiceClient
{
    public Task<CertificateResource?> GetCertificateAsync(string name, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"/certificates/{Uri.EscapeDataString(name)}", ServiceJson.Default.CertificateResource, cancellationToken, notFoundIsNull: true);

    public async Task<IReadOnlyList<CertificateResource>> ListCertificatesAsync(CancellationToken cancellationToken) =>
        (await SendAsync(HttpMethod.Get, "/certificates", ServiceJson.Default.CertificateList, cancellationToken).ConfigureAwait(false))?.Value ?? [];

    public async Task<CertificateResource> UploadCertificateAsync(string name, string pem, CancellationToken cancellationToken) =>
        (await SendAsync(HttpMethod.Put, $"/certificates/{Uri.EscapeDataString(name)}", ServiceJson.Default.CertificateResource, cancellationToken,
            body: new JsonObject { ["properties"] = new JsonObject { ["certificate"] = pem } }.ToJsonString()).ConfigureAwait(false))!;

    public async Task<CertificateResource> GenerateVerificationCodeAsync(string name, string etag, CancellationToken cancellationToken) =>
        (await SendAsync(HttpMethod.Post, $"/certificates/{Uri.EscapeDataString(name)}/generateVerificationCode", ServiceJson.Default.CertificateResource,
            cancellationToken, ifMatch: etag).ConfigureAwait(false))!;

    public async Task<CertificateResource> VerifyCertificateAsync(string name, string etag, string verificationPem, CancellationToken cancellationToken) =>
        (await SendAsync(HttpMethod.Post, $"/certificates/{Uri.EscapeDataString(name)}/verify", ServiceJson.Default.CertificateResource, cancellationToken,
            body: Json(new VerificationRequest { Certificate = verificationPem }, ServiceJson.Default.VerificationRequest), ifMatch: etag).ConfigureAwait(false))!;
}
