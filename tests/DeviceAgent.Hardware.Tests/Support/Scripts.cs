using DeviceAgent.TestPeers;

namespace DeviceAgent.Hardware.Tests.Support;

/// <summary>Runs the repository's shell scripts the way a technician does: bash, arguments, environment.</summary>
public static class Scripts
{
    /// <summary>hardware/raspberry-pi.</summary>
    public static string RaspberryPi => Path.Combine(RepositoryPaths.Root, "hardware", "raspberry-pi");

    /// <summary>Every shell script under hardware/, relative to the repository root.</summary>
    public static IEnumerable<string> All() =>
        Directory.EnumerateFiles(Path.Combine(RepositoryPaths.Root, "hardware"), "*.sh", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(RepositoryPaths.Root, path))
            .Order(StringComparer.Ordinal);

    /// <summary>Runs hardware/raspberry-pi/NAME with bash.</summary>
    public static Task<ProcessResult> RunAsync(string name, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null) =>
        ExternalProcess.RunAsync("bash", [Path.Combine(RaspberryPi, name), .. arguments], environment, timeout ?? TimeSpan.FromSeconds(60));
}
