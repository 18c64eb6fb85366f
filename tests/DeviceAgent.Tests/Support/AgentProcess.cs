using DeviceAgent.TestPeers;

namespace DeviceAgent.Tests.Support;

/// <summary>Runs the built <c>deviceagent</c> as a user would: a separate process, its own environment.</summary>
internal static class AgentProcess
{
    private static readonly string s_assembly = BuiltPrograms.DeviceAgent;

    public static Task<ProcessResult> RunAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? timeout = null)
    {
        if (!File.Exists(s_assembly))
            throw new InvalidOperationException($"{s_assembly} is missing: build the solution first");
        return ExternalProcess.RunAsync("dotnet", [s_assembly, .. arguments], environment, timeout ?? TimeSpan.FromSeconds(90));
    }
}
