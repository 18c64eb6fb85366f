using System.Xml.Linq;

namespace DeviceAgent.Architecture.Tests;

/// <summary>
/// The component table of DESIGN.md, enforced: every project under src/ is a known component
/// and references only the components it is allowed to depend on (dependencies point one way).
/// </summary>
public sealed class ProjectReferenceTests
{
    private static readonly Dictionary<string, string[]> s_allowed = new(StringComparer.Ordinal)
    {
        ["DeviceAgent.Keys"] = [],
        // The TPM stack implements the tpm: key backend (IKeyBackend), so it depends on Keys.
        ["DeviceAgent.Tpm"] = ["DeviceAgent.Keys"],
        ["DeviceAgent.Hardware"] = [],
        ["DeviceAgent.Pki"] = ["DeviceAgent.Keys"],
        ["DeviceAgent.Provisioning"] = ["DeviceAgent.Keys", "DeviceAgent.Pki"],
        ["DeviceAgent"] = ["DeviceAgent.Keys", "DeviceAgent.Tpm", "DeviceAgent.Pki", "DeviceAgent.Provisioning", "DeviceAgent.Hardware"],
        ["Factory"] = ["DeviceAgent.Keys", "DeviceAgent.Tpm", "DeviceAgent.Pki"],
        ["ProvisioningEndpoint"] = ["DeviceAgent.Pki", "DeviceAgent.Tpm"], // MQTT: MQTTnet.Server in Kestrel (MQTTnet.AspNetCore)
    };

    public static TheoryData<string> SourceProjects() => new(ProjectNames());

    private static IEnumerable<string> ProjectNames() =>
        Directory.EnumerateFiles(Path.Combine(RepositoryRoot(), "src"), "*.csproj", SearchOption.AllDirectories)
            .Select(Path.GetFileNameWithoutExtension)
            .Select(name => name!);

    [Theory]
    [MemberData(nameof(SourceProjects))]
    public void Project_references_only_the_components_it_may_depend_on(string project)
    {
        Assert.True(s_allowed.TryGetValue(project, out var allowed),
            $"src/{project} is not a component of DESIGN.md's table; add it there and here first");
        var references = ReferencesOf(project);
        var forbidden = references.Except(allowed!, StringComparer.Ordinal).ToArray();
        Assert.True(forbidden.Length == 0, $"{project} references {string.Join(", ", forbidden)}, which it may not depend on");
    }

    [Fact]
    public void Source_projects_do_not_reference_test_projects()
    {
        foreach (var project in ProjectNames())
            Assert.DoesNotContain(ReferencesOf(project), r => r.EndsWith(".Tests", StringComparison.Ordinal) || r.Contains("TestPeers", StringComparison.Ordinal));
    }

    [Fact]
    public void The_core_components_exist()
    {
        var projects = ProjectNames().ToHashSet(StringComparer.Ordinal);
        Assert.Contains("DeviceAgent.Keys", projects);
        Assert.Contains("DeviceAgent.Pki", projects);
        Assert.Contains("DeviceAgent", projects);
    }

    private static string[] ReferencesOf(string project)
    {
        var path = Directory.EnumerateFiles(Path.Combine(RepositoryRoot(), "src"), project + ".csproj", SearchOption.AllDirectories).Single();
        return XDocument.Load(path).Descendants("ProjectReference")
            .Select(e => Path.GetFileNameWithoutExtension(e.Attribute("Include")!.Value.Replace('\\', '/')))
            .ToArray();
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DeviceAgent.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("DeviceAgent.sln not found above " + AppContext.BaseDirectory);
    }
}
