namespace DeviceAgent.Cli;

/// <summary>What <c>deviceagent tpm info --json</c> prints: what a factory needs to create the TPM individual enrollment.</summary>
internal sealed class TpmInfo
{
    /// <summary>The TPM spec.</summary>
    public required string Tpm { get; init; }

    /// <summary>The EK's TPM2B_PUBLIC, base64 (what tpm2_createek -u writes; what the enrollment's attestation.tpm.endorsementKey holds).</summary>
    public required string EndorsementKey { get; init; }

    /// <summary>The EK's persistent handle.</summary>
    public required string EndorsementKeyHandle { get; init; }

    /// <summary>Whether an EK certificate is in NV (0x01C00002 RSA or 0x01C0000A ECC).</summary>
    public required bool EndorsementCertificatePresent { get; init; }

    /// <summary>Its NV index, when present.</summary>
    public string? EndorsementCertificateIndex { get; init; }

    /// <summary>The SRK's TPM2B_PUBLIC, base64 (RSA 2048, the storage key DPS seals to).</summary>
    public required string StorageRootKey { get; init; }

    /// <summary>The SRK's persistent handle.</summary>
    public required string StorageRootKeyHandle { get; init; }

    /// <summary>The registration id the agent uses when provisioning.registrationId is not set.</summary>
    public required string SuggestedRegistrationId { get; init; }
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase, WriteIndented = true,
    DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
[System.Text.Json.Serialization.JsonSerializable(typeof(TpmInfo))]
internal sealed partial class TpmInfoJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
