using Microsoft.AspNetCore.Mvc;
using ProvisioningEndpoint.Hub;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Rest.Hubs;
using ProvisioningEndpoint.Setup;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.OperatorConsole.Pages;

/// <summary>A hub's identity registry: enable, disable, delete devices (through <see cref="HubRegistry"/>, which disconnects them, as the REST routes do).</summary>
internal sealed class HubDevicesModel(IProvisioningStore store, HubRegistry registry, EndpointConfiguration configuration) : ConsolePageModel
{
    [BindProperty(SupportsGet = true)]
    public string Hub { get; set; } = "";

    public IReadOnlyList<HubDevice> Devices { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!configuration.Hubs.Any(h => h.Name == Hub))
            return NotFound();
        Devices = await store.ListHubDevicesAsync(Hub, cancellationToken);
        return Page();
    }

    public Task<IActionResult> OnPostEnableAsync(string deviceId, CancellationToken cancellationToken) => SetStatusAsync(deviceId, HubDeviceStatus.Enabled, cancellationToken);

    public Task<IActionResult> OnPostDisableAsync(string deviceId, CancellationToken cancellationToken) => SetStatusAsync(deviceId, HubDeviceStatus.Disabled, cancellationToken);

    public Task<IActionResult> OnPostDeleteAsync(string deviceId, CancellationToken cancellationToken) => ChangeAsync(async () =>
    {
        var definition = HubRoutes.Resolve(configuration, Hub);
        if (!await registry.DeleteAsync(definition.Name, deviceId, null, cancellationToken))
            throw HubRoutes.DeviceNotFound(definition, deviceId);
        return $"deleted device '{deviceId}' from hub '{Hub}'";
    }, () => OnGetAsync(cancellationToken));

    private Task<IActionResult> SetStatusAsync(string deviceId, HubDeviceStatus status, CancellationToken cancellationToken) => ChangeAsync(async () =>
    {
        var definition = HubRoutes.Resolve(configuration, Hub);
        _ = await registry.SetStatusAsync(definition.Name, deviceId, status, null, cancellationToken) ?? throw HubRoutes.DeviceNotFound(definition, deviceId);
        return $"device '{deviceId}' of hub '{Hub}' is {status.ToString().ToLowerInvariant()}";
    }, () => OnGetAsync(cancellationToken));
}
