using System.Globalization;

namespace DeviceAgent.Telemetry;

/// <summary>Board readings every Linux device has: load average, memory available, CPU temperature (when the kernel exposes it).</summary>
public sealed class SystemTelemetrySource(string procRoot = "/proc", string sysRoot = "/sys") : ITelemetrySource
{
    /// <inheritdoc />
    public async ValueTask<IReadOnlyDictionary<string, double>> ReadAsync(CancellationToken cancellationToken)
    {
        var readings = new Dictionary<string, double>(StringComparer.Ordinal);
        if (await TryRead(Path.Combine(procRoot, "loadavg"), cancellationToken).ConfigureAwait(false) is { } load &&
            double.TryParse(load.Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var load1))
            readings["loadAverage1m"] = load1;
        if (await TryRead(Path.Combine(procRoot, "meminfo"), cancellationToken).ConfigureAwait(false) is { } meminfo)
        {
            var line = meminfo.Split('\n').FirstOrDefault(l => l.StartsWith("MemAvailable:", StringComparison.Ordinal));
            if (line is not null && double.TryParse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var kb))
                readings["memoryAvailableMiB"] = Math.Round(kb / 1024, 1);
        }
        // Raspberry Pi OS: millidegrees Celsius in thermal_zone0.
        if (await TryRead(Path.Combine(sysRoot, "class", "thermal", "thermal_zone0", "temp"), cancellationToken).ConfigureAwait(false) is { } temp &&
            double.TryParse(temp.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var milli))
            readings["cpuTemperatureCelsius"] = Math.Round(milli / 1000, 1);
        return readings;
    }

    private static async Task<string?> TryRead(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
