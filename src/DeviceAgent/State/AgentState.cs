namespace DeviceAgent.State;

/// <summary>
/// What the agent remembers between starts (state.json in the state directory): where DPS
/// assigned it and with which certificate. A restart with matching state connects straight to
/// the hub; a changed certificate, ID scope or registration id makes it provision again.
/// After a renewal the state also names the device's current credential (<see cref="Credential"/>),
/// which overrides identity.key and identity.chain (those stay the onboarding credential).
/// </summary>
public sealed record AgentState
{
    /// <summary>The current schema version; older files are migrated, newer ones refused.</summary>
    /// <remarks>2: <see cref="Credential"/>, <see cref="PendingRenewal"/>, <see cref="RetiredKey"/> (cert-renewal). A version 1 file reads as is.</remarks>
    public const int CurrentSchemaVersion = 2;

    /// <summary>The file's schema version.</summary>
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>The ID scope the assignment came from.</summary>
    public required string IdScope { get; init; }

    /// <summary>The registration id that registered.</summary>
    public required string RegistrationId { get; init; }

    /// <summary>The assigned hub (host, or host:port).</summary>
    public required string AssignedHub { get; init; }

    /// <summary>The device id in that hub.</summary>
    public required string DeviceId { get; init; }

    /// <summary>When DPS assigned it.</summary>
    public required DateTimeOffset RegisteredUtc { get; init; }

    /// <summary>How the device attested: null or "x509" (its certificate), "tpm" (its TPM's EK; the hub key is in the TPM at 0x81000100).</summary>
    public string? Attestation { get; init; }

    /// <summary>SHA-1 thumbprint of the leaf that registered (IoT Hub binds the device to it); for "tpm", the SHA-256 of the EK's TPM2B_PUBLIC.</summary>
    public required string CertificateThumbprint { get; init; }

    /// <summary>The substatus DPS reported (initialAssignment, deviceDataMigrated, ...).</summary>
    public string? Substatus { get; init; }

    /// <summary>The payload DPS returned, if any (JSON).</summary>
    public string? ReturnedPayload { get; init; }

    /// <summary>cert-renewal: the committed renewed credential, or null for the onboarding credential (identity.key, identity.chain).</summary>
    public RenewedCredential? Credential { get; init; }

    /// <summary>cert-renewal: a renewal in progress (its new key, and once issued its chain); finished or rolled back at the next start.</summary>
    public PendingRenewal? PendingRenewal { get; init; }

    /// <summary>cert-renewal: the key a renewal replaced, destroyed once its grace period is over.</summary>
    public RetiredKey? RetiredKey { get; init; }

    /// <summary>
    /// False after <see cref="StateStore.Reset"/> kept a renewed credential but forgot the assignment (empty hub,
    /// device id and thumbprint): the next start provisions with that credential.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsAssigned => AssignedHub.Length > 0;
}
