using System.Text.Json;

namespace ProvisioningEndpoint.Tests.Conformance;

/// <summary>One test of mosquitto's test/broker/data/*.json: bytes to send, bytes expected back, and whether the broker must disconnect.</summary>
internal sealed record MosquittoCorpusCase(string File, string Group, string Name, bool Connect, int ProtocolVersion, bool ExpectDisconnect, IReadOnlyList<MosquittoCorpusStep> Steps)
{
    /// <summary>The "v3.1.1" groups and the REGRESSIONS (all MQTT 3.1.1); the MQTT 3.1 and 5.0 groups do not apply.</summary>
    public static IEnumerable<MosquittoCorpusCase> Load(string folder)
    {
        foreach (var path in Directory.EnumerateFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            using var document = JsonDocument.Parse(System.IO.File.ReadAllText(path));
            foreach (var group in document.RootElement.EnumerateArray())
            {
                var groupName = group.GetProperty("group").GetString()!;
                if (!groupName.StartsWith("v3.1.1", StringComparison.Ordinal) && groupName != "REGRESSIONS")
                    continue;
                foreach (var test in group.GetProperty("tests").EnumerateArray())
                {
                    var steps = test.GetProperty("msgs").EnumerateArray().Select(m => new MosquittoCorpusStep(
                        m.GetProperty("type").GetString()!,
                        m.TryGetProperty("payload", out var p) ? p.GetString() ?? string.Empty : string.Empty,
                        m.TryGetProperty("topic", out var t) ? t.GetString() : null,
                        m.TryGetProperty("qos", out var q) ? q.GetInt32() : 0)).ToArray();
                    yield return new MosquittoCorpusCase(Path.GetFileName(path), groupName, test.GetProperty("name").GetString()!,
                        !test.TryGetProperty("connect", out var connect) || connect.GetBoolean(),
                        test.TryGetProperty("ver", out var ver) ? ver.GetInt32() : 4,
                        !test.TryGetProperty("expect_disconnect", out var disconnect) || disconnect.GetBoolean(),
                        steps);
                }
            }
        }
    }

    /// <summary>A key unique across the corpus: "PUBLISH.json/30 topic 0".</summary>
    public string Key => $"{File}/{Name}";
}

/// <summary>"send" (hex), "recv" (hex), or "publish" (the broker publishes Payload text to Topic with Qos).</summary>
internal sealed record MosquittoCorpusStep(string Type, string Payload, string? Topic, int Qos);
