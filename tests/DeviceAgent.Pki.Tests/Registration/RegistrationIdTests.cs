using DeviceAgent.Pki.Registration;

namespace DeviceAgent.Pki.Tests.Registration;

public sealed class RegistrationIdTests
{
    [Theory]
    [InlineData("device-01")]
    [InlineData("a")]
    [InlineData("SN-007-888-abc-mac-a1-b2-c3-d4-e5-f6")]
    [InlineData("line.a:unit_42")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123")] // 64: ub-common-name
    public void Accepts_what_DPS_accepts(string text)
    {
        Assert.True(RegistrationId.TryParse(text, out var id, out var problem), problem);
        Assert.Equal(text, id!.Value);
    }

    [Theory]
    [InlineData("", "empty", "cannot be empty")]
    [InlineData("device 01", "space", "character 7 ('U+0020') is not allowed")]
    [InlineData("device/01", "slash", "character 7 ('/') is not allowed")]
    [InlineData("gerät", "non-ASCII letter", "character 4 ('ä') is not allowed")]
    [InlineData("-device", "special character first", "must start with a letter or a digit")]
    [InlineData("device.", "special character last", "must end with a letter or a digit")]
    [InlineData("device-", "hyphen last (the REST reference refuses it)", "must end with a letter or a digit")]
    [InlineData("01234567890123456789012345678901234567890123456789012345678901234", "65 characters", "at most 64 characters (RFC 5280 Appendix A.1")]
    public void Refuses_what_DPS_refuses_and_says_which_rule(string text, string description, string expected)
    {
        var e = Assert.Throws<RegistrationIdException>(() => RegistrationId.Parse(text));
        Assert.True(e.Message.Contains(expected, StringComparison.Ordinal), $"{description}: {e.Message}");
        Assert.Contains("DPS", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Symmetric_key_ids_may_be_128_characters_but_not_x509_ones()
    {
        var text = new string('a', 128);
        Assert.True(RegistrationId.TryParse(text, out _, out _, x509: false));
        Assert.False(RegistrationId.TryParse(text, out _, out _));
        Assert.False(RegistrationId.TryParse(text + "a", out _, out _, x509: false));
    }

    [Fact]
    public void Ids_compare_without_regard_to_case_as_DPS_does()
    {
        Assert.Equal(RegistrationId.Parse("Device-01"), RegistrationId.Parse("device-01"));
        Assert.Equal(RegistrationId.Parse("Device-01").GetHashCode(), RegistrationId.Parse("DEVICE-01").GetHashCode());
        Assert.NotEqual(RegistrationId.Parse("device-01"), RegistrationId.Parse("device-02"));
    }
}
