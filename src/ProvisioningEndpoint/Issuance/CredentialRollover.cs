using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Issuance;

/// <summary>
/// The hub's side of a renewal, as IoT Hub's primary and secondary thumbprints allow: after a
/// leaf is issued the device's primary thumbprint is the new leaf and its secondary the old one,
/// so the old identity keeps working while the device switches. The first connection with the
/// new leaf retires the old one (the secondary is cleared).
/// </summary>
public static class CredentialRollover
{
    /// <summary>
    /// True when the presented leaf is the device's primary or its retiring secondary; a primary
    /// connection retires the secondary. A concurrent change of the device wins over the retirement
    /// (its etag is checked), which the next connection retries.
    /// </summary>
    public static async Task<bool> AcceptAsync(IProvisioningStore store, HubDevice device, string thumbprint, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(clock);
        if (string.Equals(device.PrimaryThumbprint, thumbprint, StringComparison.OrdinalIgnoreCase))
        {
            if (device.SecondaryThumbprint is not null)
            {
                try
                {
                    await store.PutHubDeviceAsync(device with { SecondaryThumbprint = null, Etag = Etags.New(), UpdatedUtc = clock.GetUtcNow() },
                        device.Etag, cancellationToken).ConfigureAwait(false);
                }
                catch (StoreConflictException)
                {
                    // Changed meanwhile (an operator, another renewal): that change decides.
                }
            }
            return true;
        }
        return device.SecondaryThumbprint is { } secondary && string.Equals(secondary, thumbprint, StringComparison.OrdinalIgnoreCase);
    }
}
