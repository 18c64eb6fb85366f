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

    /// <summary>External test data kept in the repository (tests/corpora/NAME, see tests/corpora/SOURCES.md).</summary>
    public static string Corpus(string name)
    {
        var path = Path.Combine(Root(), "tests", "corpora", name);
        if (!Directory.Exists(path))
            throw new InvalidOperationException($"the test corpus {path} is missing (tests/corpora/{name}, see tests/corpora/SOURCES.md)");
        return path;
    }
}
