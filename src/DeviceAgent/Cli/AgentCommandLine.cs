namespace DeviceAgent.Cli;

/// <summary>The `deviceagent` command line.</summary>
internal static class AgentCommandLine
{
    public static Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        Console.Error.WriteLine("deviceagent: no commands yet");
        return Task.FromResult(2);
    }
}
