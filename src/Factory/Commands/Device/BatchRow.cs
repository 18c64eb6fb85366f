using System.Globalization;
using DeviceAgent.Pki.Registration;
using Factory.Cli;

namespace Factory.Commands.Device;

/// <summary>One device of a batch: its registration id, and the request it comes with (or none: the key is generated in the token).</summary>
/// <param name="Line">Where it came from, for messages (a CSV line, or the position in a counted run).</param>
/// <param name="RegistrationId">The registration id.</param>
/// <param name="RequestPath">A PKCS#10 request file; null to generate the key in the token.</param>
internal sealed record BatchRow(int Line, RegistrationId RegistrationId, string? RequestPath)
{
    /// <summary>
    /// The devices of a counted run: <paramref name="prefix"/> followed by <paramref name="start"/>..start+count-1,
    /// zero-padded to at least four digits (device-0001).
    /// </summary>
    /// <exception cref="UsageException">The count or the resulting ids are unusable.</exception>
    public static IReadOnlyList<BatchRow> Counted(int count, string prefix, int start)
    {
        if (count is < 1 or > 1_000_000)
            throw new UsageException(FormattableString.Invariant($"--count {count} is out of range 1..1000000"));
        if (start < 0)
            throw new UsageException("--start cannot be negative");
        var width = Math.Max(4, (start + count - 1).ToString(CultureInfo.InvariantCulture).Length);
        var rows = new List<BatchRow>(count);
        for (var i = 0; i < count; i++)
        {
            var text = prefix + (start + i).ToString(CultureInfo.InvariantCulture).PadLeft(width, '0');
            if (!RegistrationId.TryParse(text, out var id, out var problem))
                throw new UsageException($"--prefix '{prefix}' makes registration ids DPS would refuse ('{text}'): {problem}");
            rows.Add(new BatchRow(i + 1, id!, null));
        }
        return rows;
    }

    /// <summary>
    /// The devices of a CSV file: one per line, <c>registration-id[,csr-file]</c>; a header line naming
    /// registration-id, blank lines and lines starting with '#' are skipped; request paths are relative to the file.
    /// Every id is checked and duplicates (case-insensitive, as DPS compares ids) are refused, all at once.
    /// </summary>
    /// <exception cref="UsageException">The file is unreadable, or has invalid or duplicate ids.</exception>
    public static IReadOnlyList<BatchRow> FromCsv(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--csv '{path}' cannot be read ({e.Message})", "check the path", e);
        }
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var rows = new List<BatchRow>();
        var problems = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            var cells = line.Split(',').Select(c => c.Trim().Trim('"')).ToArray();
            if (rows.Count == 0 && problems.Count == 0 && cells[0].Contains("registration", StringComparison.OrdinalIgnoreCase))
                continue;
            if (!RegistrationId.TryParse(cells[0], out var id, out var problem))
            {
                problems.Add(FormattableString.Invariant($"line {i + 1}: '{cells[0]}': {problem}"));
                continue;
            }
            var request = cells.Length > 1 && cells[1].Length > 0 ? Path.GetFullPath(Path.Combine(directory, cells[1])) : null;
            rows.Add(new BatchRow(i + 1, id!, request));
        }
        if (problems.Count > 0)
            throw new UsageException($"--csv '{path}' has registration ids DPS would refuse: {string.Join("; ", problems)}", "fix those lines; nothing was issued");
        if (rows.Count == 0)
            throw new UsageException($"--csv '{path}' names no device", "write one registration id per line (optionally ',request.csr')");
        return rows;
    }

    /// <summary>Refuses a batch that names a registration id twice: DPS would see two devices with one id.</summary>
    /// <exception cref="UsageException">Some id appears more than once; every such id is named with its lines.</exception>
    public static void RefuseDuplicates(IReadOnlyList<BatchRow> rows, string source)
    {
        var duplicates = rows.GroupBy(r => r.RegistrationId).Where(g => g.Count() > 1)
            .Select(g => $"'{g.Key}' (lines {string.Join(", ", g.Select(r => r.Line.ToString(CultureInfo.InvariantCulture)))})")
            .ToList();
        if (duplicates.Count > 0)
        {
            throw new UsageException($"{source} names a registration id more than once (ids are case-insensitive): {string.Join("; ", duplicates)}",
                "each device needs its own registration id; nothing was issued");
        }
    }
}
