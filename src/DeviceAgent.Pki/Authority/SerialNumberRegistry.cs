using DeviceAgent.Pki.Files;

namespace DeviceAgent.Pki.Authority;

/// <summary>
/// A CA's serial state (<c>serials.txt</c>): every serial number the CA has reserved, one per line,
/// append-only. A serial is reserved, durably, before anything is signed with it, so that a
/// serial is never used twice (RFC 5280 4.1.2.2: unique for each certificate a CA issues), even
/// when a run dies between signing and logging. Not thread-safe; the CA's lock serialises writers.
/// </summary>
internal sealed class SerialNumberRegistry(string path)
{
    public const string FileName = "serials.txt";

    private HashSet<string>? _used;

    public string Path { get; } = path;

    /// <summary>How many serials are reserved.</summary>
    public int Count => Used().Count;

    /// <summary>Draws <paramref name="count"/> fresh serials, records them (one fsync), and returns them.</summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public IReadOnlyList<byte[]> Reserve(int count)
    {
        var used = Used();
        var fresh = new List<byte[]>(count);
        var lines = new List<string>(count);
        while (fresh.Count < count)
        {
            var serial = SerialNumbers.NewRandom();
            var hex = SerialNumbers.ToHex(serial);
            if (!used.Add(hex))
                continue; // 2^-127 per draw; never reuse all the same
            fresh.Add(serial);
            lines.Add(hex);
        }
        AtomicFile.AppendLines(Path, lines);
        return fresh;
    }

    /// <summary>Whether the serial (hex, as <see cref="SerialNumbers.ToHex"/> writes it) has been reserved.</summary>
    public bool Contains(string hex) => Used().Contains(hex);

    private HashSet<string> Used()
    {
        if (_used is not null)
            return _used;
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (File.Exists(Path))
        {
            foreach (var line in File.ReadLines(Path))
            {
                var hex = line.Trim();
                if (hex.Length > 0)
                    used.Add(hex);
            }
        }
        return _used = used;
    }
}
