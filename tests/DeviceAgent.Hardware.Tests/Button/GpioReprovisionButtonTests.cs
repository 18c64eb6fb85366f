using DeviceAgent.Hardware.Button;
using DeviceAgent.Hardware.Gpio;
using DeviceAgent.Hardware.Tests.Support;

namespace DeviceAgent.Hardware.Tests.Button;

public sealed class GpioReprovisionButtonTests : IDisposable
{
    private readonly ManualTimeProvider _time = new();
    private readonly List<string> _reports = [];
    private readonly FakeInputLine _line = new(27, activeLow: true, GpioBias.PullUp, "test");

    public void Dispose() => _line.Dispose();

    [Fact]
    public void A_long_press_on_the_line_asks_to_reprovision_once()
    {
        using var button = new GpioReprovisionButton(_line, _time, ButtonTiming.Default, _reports.Add);
        var requests = 0;
        button.ReprovisionRequested += (_, _) => requests++;

        _line.Drive(true);
        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.True(button.IsPressed);
        Assert.Equal(0, requests);
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, requests);
        _line.Drive(false);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(button.IsPressed);
        Assert.Equal(1, requests);
    }

    [Fact]
    public void A_line_active_at_start_is_not_a_press()
    {
        _line.Level = true;
        using var button = new GpioReprovisionButton(_line, _time, ButtonTiming.Default, _reports.Add);
        var requests = 0;
        button.ReprovisionRequested += (_, _) => requests++;
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(0, requests);
    }

    [Fact]
    public void A_line_that_stops_delivering_edges_is_reported_once()
    {
        using var button = new GpioReprovisionButton(_line, _time, ButtonTiming.Default, _reports.Add);
        _line.Fault(new GpioException("reading edge events of line 27 of /dev/gpiochip0 failed: Input/output error"));
        _line.Fault(new GpioException("again"));
        Assert.Equal(["re-provision button disabled: reading edge events of line 27 of /dev/gpiochip0 failed: Input/output error"], _reports);
    }

    [Fact]
    public void Dispose_stops_watching_and_releases_the_line()
    {
        var button = new GpioReprovisionButton(_line, _time, ButtonTiming.Default, _reports.Add);
        button.Dispose();
        Assert.False(_line.HasSubscribers);
        Assert.True(_line.IsDisposed);
    }

    [Fact]
    public void The_null_button_is_never_pressed()
    {
        IReprovisionButton button = NullReprovisionButton.Instance;
        button.ReprovisionRequested += (_, _) => Assert.Fail("pressed");
        button.ReprovisionRequested -= (_, _) => Assert.Fail("pressed");
    }
}
