using DeviceAgent.Hardware.Gpio;
using DeviceAgent.Hardware.Gpio.Native;
using DeviceAgent.Hardware.Tests.Support;

namespace DeviceAgent.Hardware.Tests.Gpio;

public sealed class CharacterDeviceOutputLineTests
{
    [Fact]
    public void A_value_the_kernel_refuses_fails_with_the_line_and_the_errno()
    {
        using var pipe = new Pipe();
        using var line = new CharacterDeviceOutputLine("/dev/gpiochip0", 17, new FileDescriptor(pipe.ReadEnd));
        var e = Assert.Throws<GpioException>(() => line.Write(true));
        Assert.Equal(LibC.ENOTTY, e.Errno);
        Assert.Equal(17, e.Offset);
        Assert.StartsWith("setting line 17 of /dev/gpiochip0 failed", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_released_line_refuses_writes()
    {
        using var pipe = new Pipe();
        var line = new CharacterDeviceOutputLine("/dev/gpiochip0", 17, new FileDescriptor(pipe.ReadEnd));
        line.Dispose();
        Assert.Throws<ObjectDisposedException>(() => line.Write(false));
    }
}
