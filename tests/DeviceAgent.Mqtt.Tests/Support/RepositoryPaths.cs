namespace DeviceAgent.Mqtt.Tests.Support;

internal static class RepositoryPaths
{
    /// <summary>The directory holding DeviceAgent.sln.</summary>
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DeviceAgent.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("DeviceAgent.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The shared corpora folder beside the repository (shared/corpora/NAME).</summary>
    public static string Corpus(string name)
    {
        var path = Path.GetFullPath(Path.Combine(Root(), "..", "shared", "corpora", name));
        if (!Directory.Exists(path))
            throw new InvalidOperationException($"the test corpus {path} is missing: the tests expect the project's shared/ folder beside the repository (shared/corpora/{name}, see shared/corpora/SOURCES.md)");
        return path;
    }
}
