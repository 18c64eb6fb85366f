using DeviceAgent.TestPeers;

namespace ProvisioningEndpoint.Tests.Conformance;

/// <summary>
/// tests/corpora/mqttnet-differences.tsv: one line per corpus case where the endpoint (MQTTnet)
/// answers differently from mosquitto in a way MQTT 3.1.1 allows. Columns: the case key, what the
/// endpoint does instead (optional hex it sends, then "closes" or "open"), and why that is allowed.
/// </summary>
internal static class CorpusDifferences
{
    public sealed record Difference(string? Answer, bool Closes, string Description);

    /// <summary>External test data kept in the repository (tests/corpora/NAME, see tests/corpora/SOURCES.md).</summary>
    public static string Corpus(string name)
    {
        var path = Path.Combine(RepositoryPaths.Root, "tests", "corpora", name);
        if (!Directory.Exists(path))
            throw new InvalidOperationException($"the test corpus {path} is missing (tests/corpora/{name}, see tests/corpora/SOURCES.md)");
        return path;
    }

    public static IReadOnlyDictionary<string, Difference> Load()
    {
        var path = Path.Combine(RepositoryPaths.Root, "tests", "corpora", "mqttnet-differences.tsv");
        var result = new Dictionary<string, Difference>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(path).Skip(1).Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            var columns = line.Split('\t');
            if (columns.Length != 3)
                throw new InvalidOperationException($"{path}: '{line}' has {columns.Length} columns, not 3 (case, endpoint, description)");
            var words = columns[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var ending = words[^1];
            if (ending is not ("closes" or "open"))
                throw new InvalidOperationException($"{path}: '{columns[1]}' must end with 'closes' or 'open'");
            result.Add(columns[0], new Difference(words.Length > 1 ? string.Join(' ', words[..^1]) : null, ending == "closes", columns[2]));
        }
        return result;
    }
}
