using Microsoft.AspNetCore.Http;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Rest.Hubs;
using ProvisioningEndpoint.Setup;

namespace ProvisioningEndpoint.Rest.Auth;

/// <summary>
/// The policies of this endpoint. The provisioning service (REST port) accepts
/// <c>provisioningserviceowner</c>; each hub's registry port accepts <c>iothubowner</c>. Both are
/// signed with the one owner key of the data directory (a local endpoint has one owner), so one
/// secret opens everything while each token still names the service it was made for.
/// </summary>
internal sealed class SasPolicies
{
    private readonly Dictionary<string, SasPolicy> _hubs = new(StringComparer.Ordinal);

    /// <summary>Builds the policies from the configuration and the owner key.</summary>
    public SasPolicies(EndpointConfiguration configuration, byte[] ownerKey)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var names = configuration.ServerNames.Append(configuration.HostName).ToList();
        Provisioning = new SasPolicy(EndpointDataDirectory.OwnerPolicy, ownerKey, names.Prepend(configuration.HostName), configuration.RestPort);
        foreach (var hub in configuration.Hubs.Where(h => h.RegistryPort > 0))
            _hubs[hub.Name] = new SasPolicy(EndpointDataDirectory.HubOwnerPolicy, ownerKey, names.Prepend(hub.HostName), hub.RegistryPort);
    }

    /// <summary>The provisioning service's policy.</summary>
    public SasPolicy Provisioning { get; }

    /// <summary>The policy that judges <paramref name="context"/>.</summary>
    public SasPolicy For(HttpContext context) =>
        RegistryPortRewrite.HubOf(context) is HubDefinition hub && _hubs.TryGetValue(hub.Name, out var policy) ? policy : Provisioning;
}
