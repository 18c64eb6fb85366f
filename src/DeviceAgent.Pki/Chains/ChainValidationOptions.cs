using System.Security.Cryptography.X509Certificates;

namespace DeviceAgent.Pki.Chains;

/// <summary>What a chain is validated against, beyond its own rules.</summary>
public sealed class ChainValidationOptions
{
    /// <summary>The device key the leaf must carry; without it the "leaf-key" check is skipped.</summary>
    public ExpectedLeafKey? LeafKey { get; init; }

    /// <summary>Roots to build the chain to with X509Chain; without them the "trust" check is skipped.</summary>
    public X509Certificate2Collection? TrustAnchors { get; init; }
}
