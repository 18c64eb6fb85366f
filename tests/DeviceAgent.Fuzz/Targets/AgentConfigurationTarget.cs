using DeviceAgent.Configuration;

namespace DeviceAgent.Fuzz.Targets;

/// <summary>
/// The agent's configuration file (<see cref="AgentConfiguration.Load"/> then
/// <see cref="AgentConfiguration.ValidateForRun"/>, as <c>deviceagent run</c> does). The loader reads
/// a file, so each input is written to one in this process's temp directory. Bad input:
/// <see cref="ConfigurationException"/>.
/// </summary>
internal static class AgentConfigurationTarget
{
    private static readonly Lazy<string> s_path = new(() =>
        Path.Combine(Directory.CreateTempSubdirectory("deviceagent-fuzz.").FullName, "agent.json"));

    public static FuzzTarget Target { get; } = new("agent-config", Run);

    private static void Run(byte[] data)
    {
        File.WriteAllBytes(s_path.Value, data);
        try
        {
            AgentConfiguration.Load(s_path.Value).ValidateForRun("fuzz input");
        }
        catch (ConfigurationException)
        {
        }
    }

    /// <summary>Removes the temp directory (at exit).</summary>
    public static void Cleanup()
    {
        if (s_path.IsValueCreated)
            Directory.Delete(Path.GetDirectoryName(s_path.Value)!, recursive: true);
    }
}
