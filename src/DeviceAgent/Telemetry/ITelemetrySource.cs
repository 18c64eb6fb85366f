namespace DeviceAgent.Telemetry;

/// <summary>
/// A source of readings for the periodic telemetry message (temperatures, counters, sensor
/// values). Readings are merged under <c>readings</c>; a failing source is skipped for that message.
/// </summary>
public interface ITelemetrySource
{
    /// <summary>Reads the current values; names are the JSON property names.</summary>
    ValueTask<IReadOnlyDictionary<string, double>> ReadAsync(CancellationToken cancellationToken);
}
