using System.CommandLine;
using DeviceAgent.Configuration;

namespace DeviceAgent.Cli;

/// <summary>The <c>--config</c> option the daemon commands share, and loading with errors on stderr.</summary>
internal static class ConfigOption
{
    public static Option<string> Create() => new("--config")
    {
        Description = $"agent configuration file (default {AgentConfiguration.DefaultPath}); DEVICEAGENT_{{section}}__{{key}} variables override it",
        DefaultValueFactory = _ => AgentConfiguration.DefaultPath,
    };

    /// <summary>Loads and validates for running; null after printing the error.</summary>
    public static async Task<AgentConfiguration?> LoadForRunAsync(string path)
    {
        try
        {
            var configuration = AgentConfiguration.Load(path);
            configuration.ValidateForRun($"configuration '{path}'");
            return configuration;
        }
        catch (ConfigurationException e)
        {
            await Console.Error.WriteLineAsync($"deviceagent: {e.Message}").ConfigureAwait(false);
            await Console.Error.WriteLineAsync("hint: see the README's configuration example; 'deviceagent doctor --config FILE' checks the identity").ConfigureAwait(false);
            return null;
        }
    }
}
