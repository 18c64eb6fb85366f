using ProvisioningEndpoint.Attestation;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Issuance;

/// <summary>
/// An individual enrollment is bound to one device certificate; once the endpoint has issued the
/// device a leaf under the enrollment's policy, the leaves its hub device is authenticated by (the
/// issued primary and, until the device has connected with it, the retiring secondary) stand for it.
/// </summary>
public static class RenewedLeaf
{
    /// <summary>True when the presented leaf is one the endpoint issued under <paramref name="enrollment"/>'s policy, or the one it is replacing.</summary>
    public static async Task<bool> IsCurrentAsync(IProvisioningStore store, IndividualEnrollment enrollment, PresentedChain chain, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(enrollment);
        ArgumentNullException.ThrowIfNull(chain);
        if (enrollment.Issuance is null)
            return false;
        // Only an assignment writes the hub's credentials; a refused attempt's record names no hub (and is not 'assigned').
        var record = await store.GetRegistrationAsync(enrollment.RegistrationId, cancellationToken).ConfigureAwait(false);
        if (record is not { Status: DeviceAgent.Provisioning.Wire.RegistrationStatuses.Assigned, AssignedHub: { } hub, DeviceId: { } deviceId })
            return false;
        var device = await store.GetHubDeviceAsync(hub, deviceId, cancellationToken).ConfigureAwait(false);
        var presented = chain.Leaf.Thumbprint;
        return device is not null
            && (string.Equals(device.PrimaryThumbprint, presented, StringComparison.OrdinalIgnoreCase)
                || string.Equals(device.SecondaryThumbprint, presented, StringComparison.OrdinalIgnoreCase));
    }
}
