namespace DeviceAgent.TestPeers;

/// <summary>Locations in the repository, found from the test binary.</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> s_root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DeviceAgent.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("DeviceAgent.sln not found above " + AppContext.BaseDirectory);
    });

    /// <summary>The repository root.</summary>
    public static string Root => s_root.Value;

    /// <summary>hardware/simulators.</summary>
    public static string Simulators => Path.Combine(Root, "hardware", "simulators");
}
