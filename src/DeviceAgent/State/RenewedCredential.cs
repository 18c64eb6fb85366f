namespace DeviceAgent.State;

/// <summary>A credential a renewal produced: the key in the token/TPM and the chain file the service issued for it.</summary>
/// <param name="Key">The key reference (RenewalKeyName: a new object beside the onboarding key).</param>
/// <param name="Chain">The PEM chain bundle in the state directory, leaf first.</param>
/// <param name="Generation">2 for the first renewal's credential, then 3, ...</param>
public sealed record RenewedCredential(string Key, string Chain, int Generation);

/// <summary>
/// A renewal under way, written before the new key is created, so that a crash at any later step
/// is finished or undone at the next start: without <see cref="Chain"/> the key is destroyed; with it
/// the new identity is tried against the hub and committed when it connects, else destroyed.
/// </summary>
/// <param name="Key">The new key reference.</param>
/// <param name="Generation">Its generation.</param>
/// <param name="Chain">The issued chain once it is checked and stored; null before.</param>
/// <param name="Thumbprint">The issued leaf's SHA-1 thumbprint; null before.</param>
/// <param name="AssignedHub">The hub the new identity connects to (a DPS re-registration may move it); null before.</param>
/// <param name="DeviceId">The device id there; null before.</param>
public sealed record PendingRenewal(string Key, int Generation, string? Chain = null, string? Thumbprint = null, string? AssignedHub = null, string? DeviceId = null);

/// <summary>A replaced key waiting for its grace period to end.</summary>
/// <param name="Key">The key reference.</param>
/// <param name="Chain">Its chain file when the agent wrote it (deleted with the key); null for the onboarding chain.</param>
/// <param name="DestroyAfterUtc">When it is destroyed.</param>
public sealed record RetiredKey(string Key, string? Chain, DateTimeOffset DestroyAfterUtc);
