
namespace DeviceAgent.Keys.Tests;

public sealed class PinSourceTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("pin-tests.");

    public void Dispose() => _dir.Delete(recursive: true);

    [Theory]
    [InlineData("1234\n")]
    [InlineData("1234\r\n")]
    [InlineData("  1234 \n\n")]
    public void Reads_the_pin_without_surrounding_whitespace(string content)
    {
        var path = Path.Combine(_dir.FullName, "pin");
        File.WriteAllText(path, content);
        using var pin = PinSource.FromFile(path).Read();
        Assert.Equal("1234"u8.ToArray(), pin.Utf8.ToArray());
    }

    [Fact]
    public void A_missing_file_is_named_with_the_fix()
    {
        var path = Path.Combine(_dir.FullName, "absent");
        var e = Assert.Throws<KeyCustodyException>(() => PinSource.FromFile(path).Read());
        Assert.Equal(KeyCustodyError.PinUnavailable, e.Error);
        Assert.Contains($"PIN file '{path}' does not exist", e.Message, StringComparison.Ordinal);
        Assert.Contains("mode 0600", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_file_is_refused()
    {
        var path = Path.Combine(_dir.FullName, "empty");
        File.WriteAllText(path, "\n");
        var e = Assert.Throws<KeyCustodyException>(() => PinSource.FromFile(path).Read());
        Assert.Contains("is empty", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unset_variable_is_named()
    {
        var e = Assert.Throws<KeyCustodyException>(() => PinSource.FromEnvironment("DEVICEAGENT_TEST_UNSET_PIN_VARIABLE").Read());
        Assert.Equal("environment variable DEVICEAGENT_TEST_UNSET_PIN_VARIABLE is not set", e.Message);
    }

    [Fact]
    public void A_pin_never_renders_itself()
    {
        using var pin = Pin.FromString("123456");
        Assert.Equal("[PIN redacted]", pin.ToString());
        Assert.Equal("[PIN redacted]", $"{pin}");
    }

    [Fact]
    public void A_disposed_pin_is_zeroed_and_unusable()
    {
        var pin = Pin.FromString("123456");
        pin.Dispose();
        Assert.Throws<ObjectDisposedException>(() => pin.Utf8.ToArray());
    }
}
