using System.Device.Gpio;
using DeviceAgent.Hardware.Button;
using DeviceAgent.Hardware.Gpio;
using DeviceAgent.Hardware.Tests.Support;
using Moq;

namespace DeviceAgent.Hardware.Tests.Button;

/// <summary>
/// The re-provision button on Iot.Device.Bindings' GpioButton, driven through a real GpioController
/// over a fake driver. GpioButton times with the system clock, so these tests wait real (short) times.
/// </summary>
public sealed class GpioReprovisionButtonTests : IDisposable
{
    private static readonly ButtonTiming s_timing = new(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(300));
    private readonly FakeGpioDriver _driver = new();
    private readonly GpioController _controller;
    private readonly Mock<EventHandler> _requested = new();

    public GpioReprovisionButtonTests() => _controller = new GpioController(_driver);

    public void Dispose() => _controller.Dispose();

    private GpioReprovisionButton Open(bool activeLow = true, GpioBias bias = GpioBias.PullUp)
    {
        var button = new GpioReprovisionButton(_controller, 27, activeLow, bias, s_timing);
        button.ReprovisionRequested += _requested.Object;
        return button;
    }

    [Fact]
    public async Task Holding_past_the_long_press_asks_to_reprovision_once()
    {
        using var button = Open();

        _driver.Drive(27, PinValue.Low); // pressed: the button pulls the line to ground
        await Task.Delay(TimeSpan.FromMilliseconds(900));

        _requested.Verify(h => h(button, EventArgs.Empty), Times.Once());
        Assert.True(button.IsPressed);
        _driver.Drive(27, PinValue.High);
        await Task.Delay(TimeSpan.FromMilliseconds(100));
        _requested.Verify(h => h(It.IsAny<object>(), It.IsAny<EventArgs>()), Times.Once());
    }

    [Fact]
    public async Task A_short_press_does_nothing()
    {
        using var button = Open();

        _driver.Drive(27, PinValue.Low);
        await Task.Delay(TimeSpan.FromMilliseconds(80));
        _driver.Drive(27, PinValue.High);
        await Task.Delay(TimeSpan.FromMilliseconds(600));

        _requested.Verify(h => h(It.IsAny<object>(), It.IsAny<EventArgs>()), Times.Never());
        Assert.False(button.IsPressed);
    }

    [Fact]
    public async Task Each_long_press_asks_again()
    {
        using var button = Open();

        for (var press = 0; press < 2; press++)
        {
            _driver.Drive(27, PinValue.Low);
            await Task.Delay(TimeSpan.FromMilliseconds(700));
            _driver.Drive(27, PinValue.High);
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        _requested.Verify(h => h(button, EventArgs.Empty), Times.Exactly(2));
    }

    [Theory]
    [InlineData(true, GpioBias.PullUp, PinMode.InputPullUp)]
    [InlineData(false, GpioBias.PullDown, PinMode.InputPullDown)]
    [InlineData(true, GpioBias.Disabled, PinMode.Input)]
    [InlineData(true, GpioBias.AsIs, PinMode.Input)]
    public void The_line_gets_the_pull_resistor_of_its_wiring(bool activeLow, GpioBias bias, PinMode expected)
    {
        using var button = Open(activeLow, bias);

        Assert.Equal(expected, _driver.ModeOf(27));
        Assert.True(_driver.HasCallback(27));
    }

    [Fact]
    public void Dispose_stops_watching_and_closes_the_line()
    {
        var button = Open();

        button.Dispose();

        Assert.False(_driver.HasCallback(27));
        Assert.Contains(27, _driver.Closed);
    }

    [Fact]
    public void The_null_button_is_never_pressed()
    {
        NullReprovisionButton.Instance.ReprovisionRequested += _requested.Object;
        NullReprovisionButton.Instance.ReprovisionRequested -= _requested.Object;
        _requested.VerifyNoOtherCalls();
    }
}
