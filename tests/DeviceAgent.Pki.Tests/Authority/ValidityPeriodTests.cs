using DeviceAgent.Pki.Authority;

namespace DeviceAgent.Pki.Tests.Authority;

public sealed class ValidityPeriodTests
{
    [Theory]
    [InlineData("90s", 90)]
    [InlineData("10m", 600)]
    [InlineData("36h", 129_600)]
    [InlineData("365d", 31_536_000)]
    [InlineData(" 2D ", 172_800)]
    public void Reads_a_number_and_a_unit(string text, long seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), ValidityPeriod.Parse(text));
    }

    [Theory]
    [InlineData("", "empty", "write a whole number and a unit")]
    [InlineData("365", "no unit", "unknown unit '5'")]
    [InlineData("10w", "unknown unit", "unknown unit 'w'")]
    [InlineData("-5m", "negative", "write a whole number and a unit")]
    [InlineData("1.5h", "fraction", "write a whole number and a unit")]
    [InlineData("30s", "shorter than a minute", "out of range 1m..36500d")]
    [InlineData("36501d", "longer than 100 years", "out of range 1m..36500d")]
    [InlineData("99999999999999d", "overflow", "longer than 36500d")]
    public void Refuses_what_is_not_a_lifetime_and_says_why(string text, string description, string expected)
    {
        var e = Assert.Throws<FormatException>(() => ValidityPeriod.Parse(text));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(description));
    }

    [Theory]
    [InlineData(31_536_000, "365d")]
    [InlineData(129_600, "36h")]
    [InlineData(600, "10m")]
    [InlineData(90, "90s")]
    public void Formats_in_the_largest_exact_unit_and_reads_back(long seconds, string text)
    {
        Assert.Equal(text, ValidityPeriod.Format(TimeSpan.FromSeconds(seconds)));
        Assert.Equal(TimeSpan.FromSeconds(seconds), ValidityPeriod.Parse(text));
    }
}
