namespace Deploy.Tests.Support;

/// <summary>A systemd unit file's settings: section, key and every value given (later lines add or reset).</summary>
public sealed class UnitFile
{
    private readonly List<(string Section, string Key, string Value)> _settings = [];

    public UnitFile(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var section = "";
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
                continue;
            if (line[0] == '[')
                section = line.Trim('[', ']');
            else if (line.IndexOf('=', StringComparison.Ordinal) is > 0 and var eq)
                _settings.Add((section, line[..eq].Trim(), line[(eq + 1)..].Trim()));
        }
    }

    /// <summary>Every value of a [Service] (or other section's) key, in order.</summary>
    public IReadOnlyList<string> All(string key, string section = "Service") =>
        [.. _settings.Where(s => s.Section == section && s.Key == key).Select(s => s.Value)];

    /// <summary>The last value of a key, or null when it is not set.</summary>
    public string? this[string key] => All(key) is [.., var last] ? last : null;
}
