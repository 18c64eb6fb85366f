using System.CommandLine;
using DeviceAgent.Configuration;
using DeviceAgent.State;

namespace DeviceAgent.Cli;

/// <summary><c>deviceagent reset</c>: forget the assignment so that the next start provisions again.</summary>
internal static class ResetCommand
{
    private static readonly Option<string> s_config = ConfigOption.Create();

    public static Command Build()
    {
        var command = new Command("reset", "forget the saved assignment; the next start registers with DPS again. Exit codes: 0 done (also when there was none), 2 bad configuration.")
        {
            s_config,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        try
        {
            var configuration = AgentConfiguration.Load(parse.GetValue(s_config)!);
            var removed = new StateStore(configuration.StateDirectory).Reset();
            await Console.Out.WriteLineAsync(removed ? "assignment forgotten: the next start provisions again" : "nothing to forget: not provisioned").ConfigureAwait(false);
            return ExitCodes.Success;
        }
        catch (ConfigurationException e)
        {
            await Console.Error.WriteLineAsync($"deviceagent: {e.Message}").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }
    }
}
