using System.CommandLine;

namespace DeviceAgent.Cli;

/// <summary>The <c>deviceagent</c> command line.</summary>
internal static class AgentCommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand("deviceagent: provisions this device with Azure IoT Hub DPS using a key that never leaves its TPM/HSM");
        root.Subcommands.Add(DoctorCommand.Build());
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var parse = Build().Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
                await Console.Error.WriteLineAsync($"deviceagent: {error.Message}").ConfigureAwait(false);
            await Console.Error.WriteLineAsync("hint: deviceagent --help").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }
        return await parse.InvokeAsync().ConfigureAwait(false);
    }
}
