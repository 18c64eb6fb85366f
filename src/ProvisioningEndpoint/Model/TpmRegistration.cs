namespace ProvisioningEndpoint.Model;

/// <summary>
/// What the endpoint keeps of a TPM device's registration: the EK it attested with, the
/// registration key its last challenge carried (its SAS tokens are signed with it), and the
/// activation blob of its hub key once assigned (registrationState.tpm.authenticationKey).
/// Secret: never logged.
/// </summary>
/// <param name="RegistrationId">The device's registration id.</param>
/// <param name="EndorsementKey">The EK's TPM2B_PUBLIC the challenge was made for.</param>
/// <param name="RegistrationKey">The HMAC-SHA256 key sealed in the challenge.</param>
/// <param name="HubAuthenticationKey">Base64 activation blob of the hub key; null until assigned.</param>
/// <param name="UpdatedUtc">Last change.</param>
public sealed record TpmRegistration(string RegistrationId, byte[] EndorsementKey, byte[] RegistrationKey, string? HubAuthenticationKey, DateTimeOffset UpdatedUtc)
{
    /// <summary>Redacted: the keys are secrets.</summary>
    public override string ToString() => $"TpmRegistration({RegistrationId})";
}
