using System.CommandLine;
using DeviceAgent.Hardware;
using DeviceAgent.Identity;
using DeviceAgent.Runtime;
using DeviceAgent.Systemd;
using DeviceAgent.Telemetry;
using Microsoft.Extensions.Logging;

namespace DeviceAgent.Cli;

/// <summary><c>deviceagent run</c>: the daemon (systemd Type=notify).</summary>
internal static partial class RunCommand
{
    private static readonly Option<string> s_config = ConfigOption.Create();
    private static readonly Option<bool> s_verbose = new("--verbose") { Description = "debug logging" };

    public static Command Build()
    {
        var command = new Command("run",
            "run the agent: provision when needed, connect to the assigned hub, send telemetry; stop on SIGTERM. " +
            "Exit codes: 0 stopped, 2 bad configuration, 3 identity unusable.")
        {
            s_config, s_verbose,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        // Startup steps that do not depend on each other run side by side, so that the first
        // connection waits for the longest of them rather than for their sum: the system trust
        // store loads while the configuration is read, and the identity opens (TPM logins, chain
        // checks, TLS context) while logging, systemd, the hardware and the runtime are set up.
        SystemTrustStore.PreloadInBackground();
        if (await ConfigOption.LoadForRunAsync(parse.GetValue(s_config)!).ConfigureAwait(false) is not { } configuration)
            return ExitCodes.UsageError;
        var identity = Task.Run(() => CurrentCredential.Open(configuration), CancellationToken.None); // cert-renewal: the state's renewed credential, else identity.key/chain
        var handedOver = false;
        try
        {
            using var loggers = AgentLogging.Create(parse.GetValue(s_verbose));
            var logger = loggers.CreateLogger("deviceagent");
            using var notifier = new SystemdNotifier();
            using var hardware = configuration.Hardware.Gpio is { } gpio
                ? StatusHardware.Open(gpio, TimeProvider.System, message => LogHardware(logger, message))
                : StatusHardware.None;
            var runtime = new AgentRuntime(configuration, hardware.Indicator, notifier, [new SystemTelemetrySource()], configuration.Retry.ToRuntimeOptions("configuration"),
                TimeProvider.System, loggers.CreateLogger<AgentRuntime>());
            hardware.Button.ReprovisionRequested += (_, _) => runtime.RequestReprovision();
            try
            {
                handedOver = true;
                await runtime.RunAsync(identity, cancellationToken).ConfigureAwait(false);
                return ExitCodes.Success;
            }
            catch (IdentityException e)
            {
                hardware.Indicator.Show(Hardware.Status.DeviceState.Error);
                notifier.Status($"identity unusable: {e.Message}");
                LogIdentityUnusable(logger, e.Message);
                return ExitCodes.IdentityUnusable;
            }
        }
        finally
        {
            // The setup failed before the runtime took the identity: close it once it is open.
            // Not awaited, so that its own failure, if any, cannot hide the setup's.
            if (!handedOver)
            {
                _ = identity.ContinueWith(static opened => opened.Result.Dispose(), CancellationToken.None,
                    TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "hardware: {Message}")]
    private static partial void LogHardware(ILogger logger, string message);

    [LoggerMessage(Level = LogLevel.Critical, Message = "the device identity cannot be used: {Reason}; run 'deviceagent doctor' for details")]
    private static partial void LogIdentityUnusable(ILogger logger, string reason);
}
