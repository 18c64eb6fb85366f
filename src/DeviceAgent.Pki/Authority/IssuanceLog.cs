using System.Text.Json;
using DeviceAgent.Pki.Files;

namespace DeviceAgent.Pki.Authority;

/// <summary>
/// A CA's issuance log (<c>issued.jsonl</c>): one JSON object per line, one line per certificate
/// the CA's key signed, appended and fsynced before the certificate leaves the process; never
/// rewritten. A crash during an append can leave a torn line (the start of a record, without its
/// end), which reading skips: the certificate it described was never released. The next append
/// starts on a new line, so the torn one stays recognisable. Any other unreadable line is damage
/// and is reported. Reading is thread-safe; appending is serialised by the CA's lock.
/// </summary>
public sealed class IssuanceLog
{
    /// <summary>The log's file name in a CA directory.</summary>
    public const string FileName = "issued.jsonl";

    /// <summary>Opens the log at <paramref name="path"/> (which need not exist yet).</summary>
    public IssuanceLog(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = path;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Every record, oldest first.</summary>
    /// <exception cref="CertificateAuthorityException"><see cref="CertificateAuthorityError.StoreCorrupt"/>: a line other than the last is not a record.</exception>
    public IReadOnlyList<IssuanceRecord> Read()
    {
        if (!File.Exists(Path))
            return [];
        var lines = File.ReadAllLines(Path);
        var records = new List<IssuanceRecord>(lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
                continue;
            try
            {
                records.Add(JsonSerializer.Deserialize(lines[i], PkiJson.Default.IssuanceRecord)
                    ?? throw new JsonException("the line is null"));
            }
            catch (JsonException) when (IsTorn(lines[i]) || IsLastLine(lines, i))
            {
                // a torn append: the certificate it described was never released
            }
            catch (JsonException e)
            {
                throw new CertificateAuthorityException(CertificateAuthorityError.StoreCorrupt,
                    FormattableString.Invariant($"issuance log '{Path}' line {i + 1} is not a record ({e.Message}); the log is append-only: restore it from a backup"), e);
            }
        }
        return records;
    }

    /// <summary>Appends records and fsyncs before returning.</summary>
    /// <exception cref="IOException">The log cannot be written.</exception>
    internal void Append(IEnumerable<IssuanceRecord> records) =>
        AtomicFile.AppendLines(Path, records.Select(r => JsonSerializer.Serialize(r, PkiJson.Default.IssuanceRecord)));

    /// <summary>The start of a record cut short: records are written whole, beginning with their time.</summary>
    private static bool IsTorn(string line) =>
        line.StartsWith("{\"time\":", StringComparison.Ordinal) && !line.EndsWith('}');

    private static bool IsLastLine(string[] lines, int index)
    {
        for (var j = index + 1; j < lines.Length; j++)
        {
            if (lines[j].Length > 0)
                return false;
        }
        return true;
    }
}
