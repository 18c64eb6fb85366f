using System.Security.Cryptography;
using System.Text;
using ProvisioningEndpoint.Model;

namespace ProvisioningEndpoint.Registration;

/// <summary>Picks the hub for a device from the enrollment's allocation settings and the configured hubs.</summary>
public sealed class HubAllocator(IReadOnlyList<HubDefinition> hubs)
{
    /// <summary>The configured hubs.</summary>
    public IReadOnlyList<HubDefinition> Hubs { get; } = hubs;

    /// <summary>The hub for <paramref name="registrationId"/>, or null with the reason.</summary>
    public HubDefinition? Allocate(string registrationId, AllocationSettings allocation, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(allocation);
        problem = null;
        if (allocation.Policy == AllocationPolicy.Static)
        {
            var hub = Hubs.FirstOrDefault(h => h.Name == allocation.StaticHub || h.HostName == allocation.StaticHub);
            if (hub is null)
                problem = $"the enrollment's static hub '{allocation.StaticHub}' is not a hub of this endpoint";
            return hub;
        }
        var candidates = allocation.Hubs.Count == 0
            ? Hubs
            : Hubs.Where(h => allocation.Hubs.Contains(h.Name) || allocation.Hubs.Contains(h.HostName)).ToList();
        if (candidates.Count == 0)
        {
            problem = $"none of the enrollment's hubs ({string.Join(", ", allocation.Hubs)}) is a hub of this endpoint";
            return null;
        }
        // Evenly weighted and stable: the same device always lands on the same hub.
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(registrationId));
        return candidates[(int)(BitConverter.ToUInt32(hash, 0) % (uint)candidates.Count)];
    }
}
