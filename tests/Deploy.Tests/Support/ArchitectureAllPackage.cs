namespace Deploy.Tests.Support;

/// <summary>
/// A deviceagent package laid out as the releases before native AOT were (0.1.0,
/// <c>Architecture: all</c>): the programs as files under /usr/lib/deviceagent started by a
/// /usr/bin shell launcher, a lower version, and the maintainer scripts, unit and conffile of the
/// current package (those templates did not change). Built from the current package with
/// <c>dpkg-deb --raw-extract</c> and <c>--build</c>, so an upgrade test needs no second publish.
/// </summary>
public static class ArchitectureAllPackage
{
    /// <summary>The version the stand-in carries: below every native release.</summary>
    public const string Version = "0.0.1";

    /// <summary>Builds the stand-in next to <paramref name="directory"/>'s other files.</summary>
    /// <exception cref="InvalidOperationException">dpkg-deb failed.</exception>
    public static async Task<DebianPackage> BuildAsync(DebianPackage current, string directory)
    {
        Directory.CreateDirectory(directory);
        var tree = Path.Combine(directory, "architecture-all");
        await RunAsync("dpkg-deb", "--raw-extract", current.FilePath, tree);
        var lib = Path.Combine(tree, "usr/lib/deviceagent");
        Directory.CreateDirectory(lib);
        foreach (var program in Directory.GetFiles(Path.Combine(tree, "usr/bin")))
        {
            var name = Path.GetFileName(program);
            // The portable build's files (what the old launcher started with `dotnet NAME.dll`).
            await File.WriteAllTextAsync(Path.Combine(lib, name + ".dll"), "portable assembly of " + name);
            await File.WriteAllTextAsync(Path.Combine(lib, name + ".runtimeconfig.json"), "{}");
            await File.WriteAllTextAsync(program, $"#!/bin/sh\nexec dotnet /usr/lib/deviceagent/{name}.dll \"$@\"\n");
        }
        var control = Path.Combine(tree, "DEBIAN/control");
        var fields = (await File.ReadAllLinesAsync(control)).Select(line =>
            line.StartsWith("Architecture:", StringComparison.Ordinal) ? "Architecture: all"
            : line.StartsWith("Version:", StringComparison.Ordinal) ? "Version: " + Version
            : line.StartsWith("Recommends:", StringComparison.Ordinal) ? line + ", dotnet-runtime-10.0"
            : line);
        await File.WriteAllLinesAsync(control, fields);
        var deb = Path.Combine(directory, $"deviceagent_{Version}_all.deb");
        await RunAsync("dpkg-deb", "--root-owner-group", "--build", tree, deb);
        Directory.Delete(tree, recursive: true);
        return await DebianPackage.OpenAsync(deb);
    }

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var result = await ExternalProcess.RunAsync(ExternalProcess.Require(program, "dpkg"), arguments);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)}: {result.Transcript}");
    }
}
