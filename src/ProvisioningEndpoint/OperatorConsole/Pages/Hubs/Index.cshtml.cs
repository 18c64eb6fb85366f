using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Setup;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.OperatorConsole.Pages;

/// <summary>The configured hubs and how many devices each registry holds.</summary>
internal sealed class HubsModel(IProvisioningStore store, EndpointConfiguration configuration) : ConsolePageModel
{
    public IReadOnlyList<(HubDefinition Hub, int Devices)> Hubs { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var rows = new List<(HubDefinition, int)>();
        foreach (var hub in configuration.Hubs)
            rows.Add((hub, (await store.ListHubDevicesAsync(hub.Name, cancellationToken)).Count));
        Hubs = rows;
    }
}
