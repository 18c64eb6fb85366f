using System.Globalization;
using System.Text;

namespace ProvisioningEndpoint.Tests.Support;

/// <summary>One sample of a scrape: its name, its labels and its value.</summary>
internal sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>
/// A scrape in the Prometheus text exposition format (0.0.4), parsed strictly: every sample
/// belongs to a family declared by a <c># TYPE</c> line before it (histogram samples by their
/// <c>_bucket</c>/<c>_sum</c>/<c>_count</c> suffixes), label values are quoted with the format's
/// escapes, values are floats (+Inf, -Inf, NaN). Anything else throws <see cref="FormatException"/>
/// naming the line.
/// </summary>
internal sealed class PrometheusText
{
    private PrometheusText(IReadOnlyDictionary<string, string> types, IReadOnlyList<PrometheusSample> samples)
    {
        Types = types;
        Samples = samples;
    }

    /// <summary>Each family's type (counter, gauge, histogram, summary, untyped), by name.</summary>
    public IReadOnlyDictionary<string, string> Types { get; }

    public IReadOnlyList<PrometheusSample> Samples { get; }

    /// <summary>The value of the sample with exactly these labels; 0 when there is none (a labelled child not created yet).</summary>
    public double Value(string name, params (string Name, string Value)[] labels)
    {
        var matches = Samples.Where(s => s.Name == name && s.Labels.Count == labels.Length
            && labels.All(l => s.Labels.TryGetValue(l.Name, out var v) && v == l.Value)).ToList();
        Assert.True(matches.Count <= 1, $"{matches.Count} samples of {name} with the same labels");
        return matches.Count == 0 ? 0 : matches[0].Value;
    }

    /// <summary>The samples of <paramref name="name"/> whose labels include these.</summary>
    public IEnumerable<PrometheusSample> Where(string name, params (string Name, string Value)[] labels) =>
        Samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Name, out var v) && v == l.Value));

    public static PrometheusText Parse(string text)
    {
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var samples = new List<PrometheusSample>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length == 0)
                continue;
            if (line.StartsWith('#'))
            {
                var parts = line.Split(' ', 4);
                if (parts.Length >= 4 && parts[1] == "TYPE")
                {
                    if (parts[3] is not ("counter" or "gauge" or "histogram" or "summary" or "untyped"))
                        throw new FormatException($"line {i + 1}: unknown type '{parts[3]}'");
                    if (!types.TryAdd(parts[2], parts[3]))
                        throw new FormatException($"line {i + 1}: a second TYPE for {parts[2]}");
                }
                else if (parts.Length < 3 || parts[1] != "HELP")
                {
                    throw new FormatException($"line {i + 1}: a comment that is neither HELP nor TYPE: {line}");
                }
                continue;
            }
            PrometheusSample sample;
            try
            {
                sample = ParseSample(line, i + 1);
            }
            catch (IndexOutOfRangeException)
            {
                throw new FormatException($"line {i + 1}: the sample ends early: {line}");
            }
            if (Family(sample.Name, types) is null)
                throw new FormatException($"line {i + 1}: sample {sample.Name} has no TYPE before it");
            samples.Add(sample);
        }
        return new PrometheusText(types, samples);
    }

    private static string? Family(string name, Dictionary<string, string> types)
    {
        if (types.ContainsKey(name))
            return name;
        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal) && types.TryGetValue(name[..^suffix.Length], out var type) && type is "histogram" or "summary")
                return name[..^suffix.Length];
        }
        return null;
    }

    private static PrometheusSample ParseSample(string line, int number)
    {
        var position = 0;
        while (position < line.Length && (char.IsAsciiLetterOrDigit(line[position]) || line[position] is '_' or ':'))
            position++;
        if (position == 0 || char.IsAsciiDigit(line[0]))
            throw new FormatException($"line {number}: no metric name: {line}");
        var name = line[..position];
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (position < line.Length && line[position] == '{')
        {
            position++;
            while (line[position] != '}')
            {
                var start = position;
                while (char.IsAsciiLetterOrDigit(line[position]) || line[position] == '_')
                    position++;
                var label = line[start..position];
                if (label.Length == 0 || line[position] != '=' || line[position + 1] != '"')
                    throw new FormatException($"line {number}: malformed label at column {position + 1}: {line}");
                position += 2;
                var value = new StringBuilder();
                while (line[position] != '"')
                {
                    if (line[position] == '\\')
                    {
                        position++;
                        value.Append(line[position] switch
                        {
                            'n' => '\n',
                            '\\' => '\\',
                            '"' => '"',
                            _ => throw new FormatException($"line {number}: unknown escape \\{line[position]}"),
                        });
                    }
                    else
                    {
                        value.Append(line[position]);
                    }
                    position++;
                }
                position++;
                if (!labels.TryAdd(label, value.ToString()))
                    throw new FormatException($"line {number}: label {label} twice");
                if (line[position] == ',')
                    position++;
            }
            position++;
        }
        var fields = line[position..].Trim().Split(' ');
        if (fields.Length is < 1 or > 2 || !TryParseValue(fields[0], out var parsed))
            throw new FormatException($"line {number}: no value: {line}");
        return new PrometheusSample(name, labels, parsed);
    }

    private static bool TryParseValue(string text, out double value)
    {
        switch (text)
        {
            case "+Inf":
                value = double.PositiveInfinity;
                return true;
            case "-Inf":
                value = double.NegativeInfinity;
                return true;
            case "NaN":
                value = double.NaN;
                return true;
            default:
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
        }
    }
}
