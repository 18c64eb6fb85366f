using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Pki.ProofOfPossession;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Rest.Http;
using ProvisioningEndpoint.Rest.Wire;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Rest.Certificates;

/// <summary>
/// <c>POST /certificates/{name}/verify</c> (If-Match optional) with <c>{"certificate": "PEM or base64"}</c>:
/// proof of possession. The verification certificate's subject CN must be the current, unexpired
/// code and it must be signed with the CA's private key; then the certificate is Verified and
/// the code is spent. A failed attempt leaves the CA unverified and the code usable. 200 with the
/// resource; 400 with the reason; 404; 412.
/// </summary>
internal static partial class VerifyCertificate
{
    public static void Map(IEndpointRouteBuilder routes) => routes.MapPost("/certificates/{name}/verify", HandleAsync);

    private static async Task<IResult> HandleAsync(string name, HttpRequest request, [FromServices] IProvisioningStore store,
        [FromServices] TimeProvider clock, [FromServices] ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var ifMatch = IfMatch.Read(request);
        var entry = await store.GetCertificateAsync(name, cancellationToken) ?? throw GetCertificate.NotFound(name);
        ifMatch.Check(entry.Etag, $"certificate '{name}'");
        var body = await RequestBody.ReadAsync(request, RestJson.Context.VerificationCertificateWire,
            "a verification certificate {\"certificate\": \"PEM or base64\"}", cancellationToken);
        var verified = await ApplyAsync(name, ifMatch, body.Certificate, store, clock, loggers, cancellationToken);
        return Results.Json(CertificateMapping.ToWire(verified), RestJson.Context.CertificateResponseWire);
    }

    /// <summary>Checks the proof of possession and marks the certificate Verified (the REST route and the operator console both come here).</summary>
    /// <param name="name">The CA certificate's name.</param>
    /// <param name="ifMatch">The precondition.</param>
    /// <param name="certificateText">The verification certificate, PEM or base64 DER.</param>
    /// <param name="store">The store.</param>
    /// <param name="clock">The clock.</param>
    /// <param name="loggers">Where refusals and verifications are logged.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <exception cref="RestException">400 with the reason (the certificate stays unverified); 404; 412.</exception>
    public static async Task<CaCertificateEntry> ApplyAsync(string name, IfMatch ifMatch, string? certificateText, IProvisioningStore store,
        TimeProvider clock, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        var logger = loggers.CreateLogger(typeof(VerifyCertificate).FullName!);
        var entry = await store.GetCertificateAsync(name, cancellationToken) ?? throw GetCertificate.NotFound(name);
        ifMatch.Check(entry.Etag, $"certificate '{name}'");
        var now = clock.GetUtcNow();
        if (entry.VerificationCode is null)
        {
            throw RestException.BadRequest(entry.IsVerified
                ? $"certificate '{name}' is verified already and has no verification code; to prove possession again, generate a code first"
                : $"certificate '{name}' has no verification code; POST /certificates/{name}/generateVerificationCode first");
        }
        if (entry.VerificationCodeExpiresUtc is { } expires && expires <= now)
            throw RestException.BadRequest($"the verification code of certificate '{name}' expired at {expires:yyyy-MM-dd'T'HH:mm:ss'Z'}; generate a new one");

        using var verification = CertificateText.Read(certificateText, "certificate");
        using var ca = X509CertificateLoader.LoadCertificate(entry.Certificate);
        var verdict = ProofOfPossessionVerifier.Verify(ca, verification, VerificationCode.Parse(entry.VerificationCode), now);
        if (!verdict.IsValid)
        {
            LogRefused(logger, name, verdict.Message);
            throw RestException.BadRequest($"proof of possession for certificate '{name}' failed: {verdict.Message}; the certificate stays unverified");
        }
        var verified = entry with { IsVerified = true, VerificationCode = null, VerificationCodeExpiresUtc = null, Etag = Etags.New(), UpdatedUtc = now };
        await store.PutCertificateAsync(verified, entry.Etag, cancellationToken);
        LogVerified(logger, name, ca.Subject);
        return verified;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "certificate {Name}: proof of possession refused: {Problem}")]
    private static partial void LogRefused(ILogger logger, string name, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "certificate {Name} ({Subject}) is verified")]
    private static partial void LogVerified(ILogger logger, string name, string subject);
}
