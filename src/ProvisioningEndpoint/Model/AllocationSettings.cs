namespace ProvisioningEndpoint.Model;

/// <summary>How an enrollment picks the hub for a device (DPS <c>allocationPolicy</c>).</summary>
public enum AllocationPolicy
{
    /// <summary>Evenly weighted distribution over the enrollment's hubs (DPS calls it "hashed").</summary>
    Hashed,
    /// <summary>Always <see cref="AllocationSettings.StaticHub"/>.</summary>
    Static,
    /// <summary>Lowest latency; locally, all hubs are equally near, so it behaves as <see cref="Hashed"/>.</summary>
    GeoLatency,
}

/// <summary>The allocation part of an enrollment entry.</summary>
/// <param name="Policy">The policy.</param>
/// <param name="Hubs">Hub names the enrollment may use; empty means every configured hub.</param>
/// <param name="StaticHub">The hub for <see cref="AllocationPolicy.Static"/>.</param>
public sealed record AllocationSettings(AllocationPolicy Policy, IReadOnlyList<string> Hubs, string? StaticHub)
{
    /// <summary>The service default: evenly weighted over all hubs.</summary>
    public static AllocationSettings Default { get; } = new(AllocationPolicy.Hashed, [], null);
}
