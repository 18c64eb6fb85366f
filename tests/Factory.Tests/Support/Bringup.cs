using DeviceAgent.TestPeers;

namespace Factory.Tests.Support;

/// <summary>Runs the built <c>bringup</c> as an operator would: a separate process with its own environment and working directory.</summary>
internal static class Bringup
{
    private static readonly string s_assembly = Path.Combine(AppContext.BaseDirectory, "bringup.dll");

    /// <summary>Runs bringup and fails the test, with its transcript, unless it exits 0.</summary>
    public static async Task<ProcessResult> SucceedsAsync(Workspace workspace, string[] arguments, IReadOnlyDictionary<string, string>? extraEnvironment = null)
    {
        var result = await RunAsync(workspace, extraEnvironment, arguments);
        Assert.True(result.ExitCode == 0, $"bringup {string.Join(' ', arguments)}\n{result.Transcript}");
        return result;
    }

    public static Task<ProcessResult> RunAsync(Workspace workspace, params string[] arguments) =>
        RunAsync(workspace, null, arguments);

    public static Task<ProcessResult> RunAsync(Workspace workspace, IReadOnlyDictionary<string, string>? extraEnvironment, params string[] arguments)
    {
        if (!File.Exists(s_assembly))
            throw new InvalidOperationException($"{s_assembly} is missing: build the solution first");
        var environment = new Dictionary<string, string>(workspace.Tokens.CombinedEnvironment());
        foreach (var (name, value) in extraEnvironment ?? new Dictionary<string, string>())
            environment[name] = value;
        return ExternalProcess.RunAsync("dotnet", [s_assembly, .. arguments], environment, TimeSpan.FromSeconds(180), workingDirectory: workspace.Path);
    }
}
