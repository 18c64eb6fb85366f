using Microsoft.AspNetCore.Mvc;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.OperatorConsole.Pages;

/// <summary>Registration records, searched by registration id (an exact match first, then ids that contain the text): status, hub, device, last error.</summary>
internal sealed class RegistrationsModel(IProvisioningStore store) : ConsolePageModel
{
    /// <summary>At most this many rows are shown.</summary>
    public const int MaxShown = 200;

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    public IReadOnlyList<RegistrationRecord> Records { get; private set; } = [];

    public int Total { get; private set; }

    public bool Truncated { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var all = await store.ListRegistrationsAsync(cancellationToken);
        Total = all.Count;
        var text = Q?.Trim() ?? "";
        var matching = all.Where(r => r.RegistrationId.Contains(text, StringComparison.OrdinalIgnoreCase))
            .OrderBy(r => r.RegistrationId.Equals(text, StringComparison.OrdinalIgnoreCase) ? 0 : 1)
            .ThenBy(r => r.RegistrationId, StringComparer.Ordinal).ToList();
        Truncated = matching.Count > MaxShown;
        Records = [.. matching.Take(MaxShown)];
    }
}
