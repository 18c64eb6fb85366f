using DeviceAgent.Hardware.Gpio;

namespace DeviceAgent.Hardware.Tests.Gpio;

/// <summary>What a technician reads when the LED or the button is missing: what, and what to check.</summary>
public sealed class GpioExceptionTests
{
    [Fact]
    public void Permission_denied_names_the_gpio_group()
    {
        var e = GpioException.From("status LED", "/dev/gpiochip0", 17, new UnauthorizedAccessException("Access to the path is denied."));
        Assert.StartsWith("status LED (line 17 of /dev/gpiochip0): permission denied: add the agent's user to the gpio group", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_libgpiod_says_what_to_install()
    {
        var e = GpioException.From("status LED", "/dev/gpiochip0", 17, new DllNotFoundException("libgpiod.so.2: cannot open shared object file"));
        Assert.Contains("libgpiod is not installed (apt install libgpiod2", e.Message, StringComparison.Ordinal);
        Assert.Contains("libgpiod.so.2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_busy_line_names_the_pin_numbering_and_the_consumers_tool()
    {
        var e = GpioException.From("re-provision button", "/dev/gpiochip0", 7, new IOException("Device or resource busy"));
        Assert.StartsWith("re-provision button (line 7 of /dev/gpiochip0): Device or resource busy;", e.Message, StringComparison.Ordinal);
        Assert.Contains("BCM GPIO numbers, not header pins", e.Message, StringComparison.Ordinal);
        Assert.Contains("overlay", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(typeof(IOException), true)]
    [InlineData(typeof(DllNotFoundException), true)]
    [InlineData(typeof(UnauthorizedAccessException), true)]
    [InlineData(typeof(NullReferenceException), false)]
    [InlineData(typeof(ArgumentNullException), false)]
    public void Only_hardware_problems_count_as_absent_hardware(Type type, bool absent) =>
        Assert.Equal(absent, GpioException.IsHardwareProblem((Exception)Activator.CreateInstance(type)!));
}
