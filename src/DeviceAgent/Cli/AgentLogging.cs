using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace DeviceAgent.Cli;

/// <summary>
/// Logging for the daemon: under systemd (JOURNAL_STREAM set) the systemd format, whose
/// <c>&lt;6&gt;</c> priority prefixes journald turns into levels; on a terminal, one short line per event.
/// </summary>
internal static class AgentLogging
{
    /// <summary>The loggers; <paramref name="toStandardError"/> for commands whose stdout is their output (<c>--json</c>).</summary>
    public static ILoggerFactory Create(bool verbose, bool toStandardError = false) => LoggerFactory.Create(builder =>
    {
        builder.SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Information);
        if (toStandardError)
            builder.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        if (Environment.GetEnvironmentVariable("JOURNAL_STREAM") is not null)
            builder.AddSystemdConsole(o => o.IncludeScopes = false);
        else
            builder.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; o.ColorBehavior = LoggerColorBehavior.Disabled; });
    });
}
