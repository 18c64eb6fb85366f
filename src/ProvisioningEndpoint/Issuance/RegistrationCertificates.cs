using Microsoft.Extensions.Logging;
using ProvisioningEndpoint.Registration;

namespace ProvisioningEndpoint.Issuance;

/// <summary>
/// The registration's side of certificate issuance: a register request with a <c>csr</c>, decided
/// by an enabled entry, gets a leaf under that entry's policy; a request without one is left
/// alone. The caller records the issued chain and the hub credentials in one transaction.
/// </summary>
public sealed partial class RegistrationCertificates(DeviceCertificateIssuer issuer, ILogger<RegistrationCertificates> logger)
{
    /// <summary>Issues for a request's csr.</summary>
    /// <param name="registrationId">The registering device.</param>
    /// <param name="csr">The request's <c>csr</c>; null when it carries none.</param>
    /// <param name="resolution">The deciding entry (enabled).</param>
    /// <param name="now">For the error body.</param>
    /// <param name="refusal">The DPS error response when the csr is refused or cannot be served; null otherwise.</param>
    /// <returns>The issued chain; null when there is no csr, or it was refused.</returns>
    public IssuedChain? IssueFor(string registrationId, string? csr, EnrollmentResolution resolution, DateTimeOffset now, out DpsResponse? refusal)
    {
        ArgumentNullException.ThrowIfNull(resolution);
        refusal = null;
        if (csr is null)
            return null;
        try
        {
            if (resolution.Issuance is not { } policy)
            {
                var entry = resolution.EnrollmentId is { } id ? $"'{id}'" : "the deciding entry";
                throw new IssuanceException(IssuanceErrorCodes.NoIssuancePolicy,
                    $"the register request has a csr, but {entry} issues no certificates (it has no certificate issuance policy); register without a csr");
            }
            return issuer.Issue(registrationId, csr, policy);
        }
        catch (IssuanceException e)
        {
            LogRefused(registrationId, e.ErrorCode, e.Message);
            refusal = DpsResponse.Error(e.ErrorCode, e.Message, now);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "registration {RegistrationId}: certificate request refused ({ErrorCode}), {Reason}")]
    private partial void LogRefused(string registrationId, int errorCode, string reason);
}
