using System.Globalization;
using System.Text.RegularExpressions;

namespace Deploy.Tests.Support;

/// <summary>One member of a package's data or control archive, as <c>tar -tv</c> lists it.</summary>
/// <param name="Path">The path without the leading "./" (directories end in '/').</param>
/// <param name="Mode">The mode string, e.g. <c>-rw-r--r--</c>.</param>
/// <param name="Owner">owner/group, e.g. <c>root/root</c>.</param>
/// <param name="Size">The size in bytes.</param>
/// <param name="LinkTarget">The target of a symbolic link, else null.</param>
public sealed record ArchiveEntry(string Path, string Mode, string Owner, long Size, string? LinkTarget)
{
    public bool IsDirectory => Mode[0] == 'd';

    public bool IsFile => Mode[0] == '-';
}

/// <summary>A built .deb as dpkg-deb shows it: control fields, data members, control members.</summary>
public sealed partial class DebianPackage
{
    private DebianPackage(string path, IReadOnlyDictionary<string, string> fields, IReadOnlyList<ArchiveEntry> contents, IReadOnlyList<ArchiveEntry> control)
    {
        FilePath = path;
        Fields = fields;
        Contents = contents;
        Control = control;
    }

    /// <summary>The .deb file.</summary>
    public string FilePath { get; }

    /// <summary>The control fields (dpkg-deb --field); a multi-line value keeps its newlines.</summary>
    public IReadOnlyDictionary<string, string> Fields { get; }

    /// <summary>The data archive (dpkg-deb --contents).</summary>
    public IReadOnlyList<ArchiveEntry> Contents { get; }

    /// <summary>The control archive (control, conffiles, maintainer scripts).</summary>
    public IReadOnlyList<ArchiveEntry> Control { get; }

    public string Name => Fields["Package"];

    public override string ToString() => Path.GetFileName(FilePath);

    /// <summary>The data member at PATH (no leading "./"), or null.</summary>
    public ArchiveEntry? Entry(string path) => Contents.SingleOrDefault(e => e.Path == path.TrimStart('/'));

    /// <summary>The package names of a relationship field (Depends, Recommends): every alternative.</summary>
    public IReadOnlyList<string> Relations(string field) =>
        Fields.TryGetValue(field, out var value)
            ? [.. value.Split([',', '|'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(r => r.Split(' ')[0])]
            : [];

    /// <summary>A control member's text (dpkg-deb --info FILE MEMBER).</summary>
    public async Task<string> ControlFileAsync(string member) => (await DpkgDebAsync("--info", FilePath, member)).StandardOutput;

    /// <summary>Reads a .deb.</summary>
    /// <exception cref="InvalidOperationException">dpkg-deb cannot read it.</exception>
    public static async Task<DebianPackage> OpenAsync(string path)
    {
        var fields = ParseFields((await DpkgDebAsync("--field", path)).StandardOutput);
        var contents = ParseListing((await DpkgDebAsync("--contents", path)).StandardOutput);
        var control = await ExternalProcess.RunAsync("bash", ["-c", "set -o pipefail; dpkg-deb --ctrl-tarfile \"$1\" | tar -tvf -", "bash", path]);
        if (control.ExitCode != 0)
            throw new InvalidOperationException(control.Transcript);
        return new DebianPackage(path, fields, contents, ParseListing(control.StandardOutput));
    }

    private static async Task<ProcessResult> DpkgDebAsync(params string[] arguments)
    {
        var result = await ExternalProcess.RunAsync(ExternalProcess.Require("dpkg-deb", "dpkg"), arguments);
        return result.ExitCode == 0 ? result : throw new InvalidOperationException($"dpkg-deb {string.Join(' ', arguments)}: {result.Transcript}");
    }

    private static Dictionary<string, string> ParseFields(string text)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        string? last = null;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(' ') && last is not null)
                fields[last] += "\n" + line.Trim();
            else if (line.IndexOf(':', StringComparison.Ordinal) is > 0 and var colon)
                fields[last = line[..colon]] = line[(colon + 1)..].Trim();
        }
        return fields;
    }

    private static List<ArchiveEntry> ParseListing(string text) =>
        [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            var match = ListingLine().Match(line);
            return match.Success
                ? new ArchiveEntry(match.Groups["path"].Value, match.Groups["mode"].Value, match.Groups["owner"].Value,
                    long.Parse(match.Groups["size"].Value, CultureInfo.InvariantCulture), match.Groups["link"].Success ? match.Groups["link"].Value : null)
                : throw new FormatException($"not a tar listing line: '{line}'");
        }).Where(e => e.Path.Length > 0)];

    // "-rw-r--r-- root/root      1689 2026-11-22 05:31 ./etc/deviceagent/agent.json" (and " -> target" for links)
    [GeneratedRegex(@"^(?<mode>[-dlcbps][-rwxsStT]{9})\s+(?<owner>\S+/\S+)\s+(?<size>\d+)\s+\S+\s+\S+\s+\./(?<path>.*?)(?: -> (?<link>.*))?$")]
    private static partial Regex ListingLine();
}
