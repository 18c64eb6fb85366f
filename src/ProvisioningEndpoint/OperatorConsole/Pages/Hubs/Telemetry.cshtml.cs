using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using ProvisioningEndpoint.Setup;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.OperatorConsole.Pages;

/// <summary>
/// A device's telemetry: the page renders the newest messages (no script needed); its script
/// (assets/tail.js) then polls the Feed handler for messages newer than the last one shown and
/// appends them: the live tail.
/// </summary>
internal sealed class TelemetryModel(IProvisioningStore store, EndpointConfiguration configuration) : ConsolePageModel
{
    /// <summary>How many messages the page and each poll show at most.</summary>
    public const int Shown = 50;

    private static readonly UTF8Encoding s_strictUtf8 = new(false, true);

    [BindProperty(SupportsGet = true)]
    public string Hub { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string DeviceId { get; set; } = "";

    public IReadOnlyList<TelemetryLine> Messages { get; private set; } = [];

    /// <summary>The receive time of the newest message shown (round-trip format), where the tail continues.</summary>
    public string After { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(null, cancellationToken))
            return NotFound();
        return Page();
    }

    /// <summary>The messages received after <paramref name="after"/> (JSON), for the live tail.</summary>
    public async Task<IActionResult> OnGetFeedAsync(string? after, CancellationToken cancellationToken)
    {
        DateTimeOffset? since = DateTimeOffset.TryParse(after, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed) ? parsed : null;
        if (!await LoadAsync(since, cancellationToken))
            return NotFound();
        return new JsonResult(new TelemetryFeed(After, Messages));
    }

    private async Task<bool> LoadAsync(DateTimeOffset? after, CancellationToken cancellationToken)
    {
        if (!configuration.Hubs.Any(h => h.Name == Hub) || await store.GetHubDeviceAsync(Hub, DeviceId, cancellationToken) is null)
            return false;
        var messages = (await store.ListTelemetryAsync(Hub, DeviceId, Shown, cancellationToken)).Where(m => after is null || m.ReceivedUtc > after).ToList();
        Messages = [.. messages.Select(m => new TelemetryLine(CertificateFacts.Show(m.ReceivedUtc).Replace(" UTC", ":" + m.ReceivedUtc.ToString("ss", CultureInfo.InvariantCulture) + " UTC", StringComparison.Ordinal),
            Uri.UnescapeDataString(m.Properties), Text(m.Body)))];
        After = (messages.Count > 0 ? messages[^1].ReceivedUtc : after ?? DateTimeOffset.MinValue).ToString("O", CultureInfo.InvariantCulture);
        return true;
    }

    private static string Text(byte[] body)
    {
        try
        {
            return s_strictUtf8.GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return $"(binary, {body.Length} bytes: {Convert.ToHexString(body.AsSpan(0, Math.Min(body.Length, 32)))}{(body.Length > 32 ? "…" : "")})";
        }
    }
}

/// <summary>One telemetry message as the page shows it.</summary>
internal sealed record TelemetryLine(string Received, string Properties, string Body);

/// <summary>What a live-tail poll answers: the messages and where to continue.</summary>
internal sealed record TelemetryFeed(string After, IReadOnlyList<TelemetryLine> Messages);
