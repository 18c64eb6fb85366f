using ProvisioningEndpoint.Tests.Support;

namespace ProvisioningEndpoint.Tests.Observability;

/// <summary>The scrape parser the metrics tests rely on reads the text format and refuses what is not in it.</summary>
public sealed class PrometheusTextTests
{
    [Fact]
    public void Reads_families_labels_with_escapes_and_special_values()
    {
        var text = PrometheusText.Parse("""
            # HELP a_total things
            # TYPE a_total counter
            a_total{x="q\"uote",y="back\\slash\nline"} 3
            # TYPE h histogram
            h_bucket{le="+Inf"} 2
            h_sum 0.5
            h_count 2
            # TYPE g gauge
            g NaN

            """.Replace("\r", "", StringComparison.Ordinal));

        Assert.Equal(3, text.Value("a_total", ("x", "q\"uote"), ("y", "back\\slash\nline")));
        Assert.Equal(2, text.Value("h_bucket", ("le", "+Inf")));
        Assert.Equal(0.5, text.Value("h_sum"));
        Assert.True(double.IsNaN(text.Value("g")));
        Assert.Equal(0, text.Value("a_total", ("x", "other")));
    }

    [Theory]
    [InlineData("a 1", "a sample before its TYPE")]
    [InlineData("# TYPE a counter\na_count 1", "a suffix of a counter is not a histogram sample")]
    [InlineData("# TYPE a counter\na{x=\"1\" 1", "an unterminated label set")]
    [InlineData("# TYPE a counter\na{x=1} 1", "an unquoted label value")]
    [InlineData("# TYPE a counter\na one", "a value that is not a float")]
    [InlineData("# TYPE a metric\na 1", "an unknown type")]
    [InlineData("# TYPE a counter\n# TYPE a gauge\na 1", "two TYPE lines for one family")]
    [InlineData("# comment\n", "a comment that is neither HELP nor TYPE")]
    public void Refuses_what_is_not_the_text_format(string text, string description)
    {
        var refused = Record.Exception(() => PrometheusText.Parse(text));
        Assert.True(refused is FormatException, $"{description}: {refused?.GetType().Name ?? "accepted"}");
    }
}
