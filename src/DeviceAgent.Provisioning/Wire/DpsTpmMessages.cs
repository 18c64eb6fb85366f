namespace DeviceAgent.Provisioning.Wire;

// DPS TPM attestation bodies (HTTPS only; DPS refuses TPM attestation over MQTT).

/// <summary>
/// The <c>tpm</c> member of a register request: the TPM's endorsement key and storage root key,
/// each the base64 of a marshalled TPM2B_PUBLIC (TPM 2.0 Part 2 12.2.5).
/// </summary>
internal sealed class TpmAttestation
{
    public string? EndorsementKey { get; set; }

    public string? StorageRootKey { get; set; }
}

/// <summary>
/// The body of DPS's 401 answer to a TPM registration that carried no SAS token:
/// <c>{"authenticationKey": base64 activation blob, "keyName": "registration"}</c>. The device
/// activates the blob in its TPM and signs <c>sr={idScope}/registrations/{registrationId}</c>,
/// <c>skn=registration</c> with the key it recovers.
/// </summary>
internal sealed class TpmRegistrationChallenge
{
    public string? AuthenticationKey { get; set; }

    public string? KeyName { get; set; }
}

/// <summary>
/// <c>registrationState.tpm</c> of an assigned TPM device: the hub's device key as an
/// activation blob of the same layout as the challenge.
/// </summary>
internal sealed class TpmRegistrationResult
{
    public string? AuthenticationKey { get; set; }
}

/// <summary>The DPS names of the TPM flow.</summary>
internal static class DpsTpmNames
{
    /// <summary>The <c>skn</c> of a TPM device's registration SAS and the challenge's <c>keyName</c>.</summary>
    public const string RegistrationKeyName = "registration";

    /// <summary>The SAS resource of a registration: <c>{idScope}/registrations/{registrationId}</c>.</summary>
    public static string RegistrationResource(string idScope, string registrationId) => $"{idScope}/registrations/{registrationId}";
}
