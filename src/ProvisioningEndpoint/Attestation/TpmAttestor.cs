using System.Security.Cryptography;
using DeviceAgent.Provisioning.Wire;
using DeviceAgent.Tpm;
using DeviceAgent.Tpm.Credentials;
using DeviceAgent.Tpm.Marshalling;
using DeviceAgent.Tpm.Structures;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Rest.Auth;
using ProvisioningEndpoint.Rest.Wire;
using ProvisioningEndpoint.Setup;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Attestation;

/// <summary>The outcome of a TPM registration's attestation.</summary>
/// <param name="Challenge">Base64 activation blob to answer 401 with (no SAS was sent); null otherwise.</param>
/// <param name="Problem">Why the device is refused (401); null when it proved possession of the registration key.</param>
/// <param name="EndorsementKey">The EK (when parsed).</param>
/// <param name="StorageRootKey">The SRK (when parsed).</param>
public sealed record TpmAttestationResult(string? Challenge, string? Problem, TpmtPublic? EndorsementKey, TpmtPublic? StorageRootKey)
{
    /// <summary>True when the SAS verified.</summary>
    public bool IsAuthenticated => Challenge is null && Problem is null;
}

/// <summary>
/// DPS's TPM attestation (Azure IoT SDKs: HttpAuthStrategyTpm, hsm_client_tpm.c): a register
/// request with <c>tpm: {endorsementKey, storageRootKey}</c> and no SAS gets a fresh HMAC key as an
/// activation blob only that TPM can open (<see cref="ActivationBlob"/>); the device then proves
/// possession with a SAS token, <c>sr={idScope}/registrations/{registrationId}</c>,
/// <c>skn=registration</c>, signed with that key. On assignment the hub key is delivered the same
/// way. Keys are kept in the store (<see cref="TpmRegistration"/>), never logged.
/// </summary>
public sealed class TpmAttestor(IProvisioningStore store, EndpointConfiguration configuration, TimeProvider clock)
{
    private const int KeyBytes = 32;

    /// <summary>Attests a register request of a TPM individual enrollment (whose EK the caller matched).</summary>
    public async Task<TpmAttestationResult> AttestAsync(string registrationId, TpmtPublic endorsementKey, byte[] endorsementKeyBytes, TpmtPublic storageRootKey,
        string? authorization, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endorsementKey);
        if (string.IsNullOrWhiteSpace(authorization))
        {
            var key = RandomNumberGenerator.GetBytes(KeyBytes);
            var blob = ActivationBlob.Create(endorsementKey, storageRootKey, key);
            var previous = await store.GetTpmRegistrationAsync(registrationId, cancellationToken).ConfigureAwait(false);
            await store.PutTpmRegistrationAsync(new TpmRegistration(registrationId, endorsementKeyBytes, key, previous?.HubAuthenticationKey, clock.GetUtcNow()),
                cancellationToken).ConfigureAwait(false);
            return new TpmAttestationResult(Convert.ToBase64String(blob.ToBytes()), null, endorsementKey, storageRootKey);
        }
        var problem = await RefuseAsync(registrationId, authorization, endorsementKey, cancellationToken).ConfigureAwait(false);
        return new TpmAttestationResult(null, problem, endorsementKey, storageRootKey);
    }

    /// <summary>Null when <paramref name="authorization"/> is a valid registration SAS of the device (for the EK, when given); else why not.</summary>
    public async Task<string?> RefuseAsync(string registrationId, string? authorization, TpmtPublic? endorsementKey, CancellationToken cancellationToken)
    {
        SharedAccessSignature token;
        try
        {
            token = SharedAccessSignature.Parse(authorization);
        }
        catch (FormatException e)
        {
            return e.Message;
        }
        var resource = DpsTpmNames.RegistrationResource(configuration.IdScope, registrationId);
        if (!string.Equals(token.KeyName, DpsTpmNames.RegistrationKeyName, StringComparison.Ordinal))
            return $"the SAS token names key '{token.KeyName}'; a TPM device signs with skn={DpsTpmNames.RegistrationKeyName}";
        if (!string.Equals(token.DecodedResource, resource, StringComparison.OrdinalIgnoreCase))
            return $"the SAS token is for '{token.DecodedResource}', not '{resource}'";
        if (token.ExpiresUtc is not { } expires || expires <= clock.GetUtcNow())
            return "the SAS token has expired (or its se is not a time); sign a fresh one";
        var registration = await store.GetTpmRegistrationAsync(registrationId, cancellationToken).ConfigureAwait(false);
        if (registration is null)
            return $"no challenge was issued to '{registrationId}'; register without a SAS token first to receive one";
        if (endorsementKey is not null && !endorsementKey.Equals(Parse(registration.EndorsementKey)))
            return $"the endorsement key is not the one the challenge of '{registrationId}' was made for";
        return token.IsSignedWith(registration.RegistrationKey) ? null
            : "the SAS token does not verify with the key of the last challenge (activate the latest authenticationKey in the TPM)";
    }

    /// <summary>A fresh hub key for the device: kept for the hub, delivered as an activation blob (recorded for polls).</summary>
    public async Task<string> IssueHubKeyAsync(string registrationId, string hub, string deviceId, TpmtPublic endorsementKey, TpmtPublic storageRootKey,
        CancellationToken cancellationToken)
    {
        var key = RandomNumberGenerator.GetBytes(KeyBytes);
        var blob = Convert.ToBase64String(ActivationBlob.Create(endorsementKey, storageRootKey, key).ToBytes());
        await store.PutHubDeviceKeyAsync(hub, deviceId, key, cancellationToken).ConfigureAwait(false);
        var registration = await store.GetTpmRegistrationAsync(registrationId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"'{registrationId}' has no TPM registration keys");
        await store.PutTpmRegistrationAsync(registration with { HubAuthenticationKey = blob, UpdatedUtc = clock.GetUtcNow() }, cancellationToken).ConfigureAwait(false);
        return blob;
    }

    /// <summary>Parses a base64 TPM2B_PUBLIC of the request; null with the problem when it is not an RSA storage key.</summary>
    public static TpmtPublic? TryParse(string? base64, string field, out byte[] bytes, out string? problem)
    {
        bytes = [];
        if (string.IsNullOrWhiteSpace(base64))
        {
            problem = $"the register request has no {field}: send the base64 TPM2B_PUBLIC";
            return null;
        }
        try
        {
            bytes = Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException)
        {
            problem = $"{field} is not base64";
            return null;
        }
        problem = TpmKeyText.Problem(bytes) is { } p ? $"{field} {p}" : null;
        return problem is null ? Parse(bytes) : null;
    }

    private static TpmtPublic Parse(byte[] bytes)
    {
        try
        {
            return TpmtPublic.ReadSized(new TpmReader(bytes, "TPM2B_PUBLIC"));
        }
        catch (TpmFormatException e)
        {
            throw new InvalidOperationException($"a stored endorsement key does not parse: {e.Message}", e);
        }
    }
}
