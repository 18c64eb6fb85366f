using System.CommandLine;
using System.Runtime.InteropServices;

namespace DeviceAgent.Cli;

/// <summary>The <c>deviceagent</c> command line.</summary>
internal static class AgentCommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand("deviceagent: provisions this device with Azure IoT Hub DPS using a key that never leaves its TPM/HSM");
        root.Subcommands.Add(RunCommand.Build());
        root.Subcommands.Add(ProvisionCommand.Build());
        root.Subcommands.Add(StatusCommand.Build());
        root.Subcommands.Add(RenewCommand.Build());
        root.Subcommands.Add(ResetCommand.Build());
        root.Subcommands.Add(DoctorCommand.Build());
        root.Subcommands.Add(TpmCommand.Build());
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        // SIGTERM (systemd stop) and SIGINT cancel the command's token: the agent disconnects and
        // exits 0 instead of being killed with 143. Registered before anything else, parsing
        // included, so that the window in which a stop kills the agent is the runtime's start only.
        using var stop = new CancellationTokenSource();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        var parse = Build().Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
                await Console.Error.WriteLineAsync($"deviceagent: {error.Message}").ConfigureAwait(false);
            await Console.Error.WriteLineAsync("hint: deviceagent --help").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }
        return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, stop.Token).ConfigureAwait(false);

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }
}
