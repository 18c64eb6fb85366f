namespace Deploy.Tests.Support;

/// <summary>
/// The packages exactly as <c>./build.sh package</c> builds them (one native AOT publish per
/// program and architecture: deviceagent for amd64 and, cross-compiled, arm64; the endpoint for
/// all), built once for the whole test run into a private directory that is removed at the end;
/// the emulated arm64 device (<see cref="Arm64.Arm64DeviceTests"/>) reuses the arm64 package.
/// Fails, not skips, when dotnet or dpkg-deb is missing.
/// </summary>
public sealed class PackageBuild : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("deviceagent-deploy-tests.").FullName;

    /// <summary>The deviceagent package for this machine (amd64).</summary>
    public DebianPackage Agent { get; private set; } = null!;

    /// <summary>The deviceagent package for arm64 (the Raspberry Pi).</summary>
    public DebianPackage Arm64Agent { get; private set; } = null!;

    /// <summary>The provisioning-endpoint package.</summary>
    public DebianPackage Endpoint { get; private set; } = null!;

    /// <summary>What the packaging printed (stderr: its progress).</summary>
    public string Transcript { get; private set; } = "";

    /// <summary>Whether the factory CLI's project is in this checkout (then the agent package carries bringup).</summary>
    public static bool HasFactory => File.Exists(Path.Combine(RepositoryPaths.Root, "src", "Factory", "Factory.csproj"));

    /// <summary>The packages this machine installs: the amd64 agent and the endpoint.</summary>
    public IEnumerable<DebianPackage> All => [Agent, Endpoint];

    /// <summary>How long <c>./build.sh package</c> took (four native AOT publishes and the endpoint's).</summary>
    public TimeSpan Duration { get; private set; }

    public async Task InitializeAsync()
    {
        ExternalProcess.Require("dpkg-deb", "dpkg");
        ExternalProcess.Require("dotnet", "the .NET 10 SDK");
        // No MSBuild or compiler server may outlive the test run.
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["MSBUILDDISABLENODEREUSE"] = "1",
            ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
            ["UseSharedCompilation"] = "false",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        };
        var started = System.Diagnostics.Stopwatch.StartNew();
        var result = await ExternalProcess.RunAsync(Path.Combine(RepositoryPaths.Root, "build.sh"), ["package", "--out", _directory],
            environment, TimeSpan.FromMinutes(30), workingDirectory: RepositoryPaths.Root);
        Duration = started.Elapsed;
        Transcript = result.Transcript;
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"./build.sh package failed\n{result.Transcript}");
        var built = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Agent = await DebianPackage.OpenAsync(Single(built, "deviceagent_", "_amd64.deb"));
        Arm64Agent = await DebianPackage.OpenAsync(Single(built, "deviceagent_", "_arm64.deb"));
        Endpoint = await DebianPackage.OpenAsync(Single(built, "provisioning-endpoint_", "_all.deb"));
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    private string Single(string[] built, string prefix, string suffix)
    {
        var matches = built.Where(path => Path.GetFileName(path).StartsWith(prefix, StringComparison.Ordinal) && path.EndsWith(suffix, StringComparison.Ordinal)).ToArray();
        if (matches.Length != 1 || !File.Exists(matches[0]) || Path.GetDirectoryName(matches[0]) != _directory)
            throw new InvalidOperationException($"./build.sh package was expected to print the path of one {prefix}*{suffix} in {_directory}\n{Transcript}");
        return matches[0];
    }
}

/// <summary>The tests that share one <see cref="PackageBuild"/>; they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class BuiltPackages : ICollectionFixture<PackageBuild>
{
    public const string Name = "built packages";
}
