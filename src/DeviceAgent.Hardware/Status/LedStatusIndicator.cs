using System.Device.Gpio;
using DeviceAgent.Hardware.Gpio;

namespace DeviceAgent.Hardware.Status;

/// <summary>
/// A status LED on an output pin of a <see cref="GpioController"/>, blinking the pattern of the
/// current state (<see cref="BlinkPattern.For"/>) on timers from a <see cref="TimeProvider"/>, so
/// that tests drive it on a fake clock. Thread-safe. A write that fails is reported once; the LED
/// then goes dark and the indicator ignores further states (the agent runs on without it).
/// Owns the pin (not the controller): Dispose turns the LED off and closes the pin.
/// </summary>
public sealed class LedStatusIndicator : IStatusIndicator, IDisposable
{
    private readonly GpioController _controller;
    private readonly int _pin;
    private readonly bool _activeLow;
    private readonly TimeProvider _time;
    private readonly Action<string> _report;
    private readonly Lock _gate = new();
    private BlinkPattern _pattern = BlinkPattern.SteadyOff;
    private DeviceState? _state;
    private int _step;
    private long _ticket;
    private ITimer? _timer;
    private bool _stopped;
    private bool _disposed;

    /// <summary>Opens <paramref name="pin"/> as an output, LED off; it stays off until the first <see cref="Show"/>.</summary>
    /// <param name="controller">The chip's controller (outlives the indicator).</param>
    /// <param name="pin">The LED's line offset.</param>
    /// <param name="activeLow">True when the LED lights at the low level.</param>
    /// <param name="time">The clock for the pattern's steps.</param>
    /// <param name="report">Receives the one message about a failed LED.</param>
    /// <remarks>Throws what System.Device.Gpio throws when the pin cannot be opened (see <see cref="GpioException.IsHardwareProblem"/>).</remarks>
    public LedStatusIndicator(GpioController controller, int pin, bool activeLow, TimeProvider time, Action<string> report)
    {
        ArgumentNullException.ThrowIfNull(controller);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(report);
        _controller = controller;
        _pin = pin;
        _activeLow = activeLow;
        _time = time;
        _report = report;
        controller.OpenPin(pin, PinMode.Output, Level(false));
    }

    /// <summary>The state shown, or null before the first <see cref="Show"/>.</summary>
    public DeviceState? State
    {
        get
        {
            lock (_gate)
                return _state;
        }
    }

    /// <summary>The pattern running now.</summary>
    public BlinkPattern Pattern
    {
        get
        {
            lock (_gate)
                return _pattern;
        }
    }

    /// <summary>False once the LED failed or the indicator was disposed.</summary>
    public bool IsWorking
    {
        get
        {
            lock (_gate)
                return !_stopped;
        }
    }

    /// <inheritdoc />
    public void Show(DeviceState state)
    {
        var pattern = BlinkPattern.For(state);
        lock (_gate)
        {
            if (_stopped || _state == state)
                return;
            _state = state;
            _pattern = pattern;
            _step = 0;
            ApplyStep();
        }
    }

    /// <summary>Stops the pattern, turns the LED off and closes its pin.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
            var wasWorking = !_stopped;
            _stopped = true;
            CancelTimer();
            try
            {
                if (wasWorking)
                    _controller.Write(_pin, Level(false));
                _controller.ClosePin(_pin);
            }
            catch (Exception e) when (GpioException.IsHardwareProblem(e))
            {
                // The line is gone; there is nothing left to release.
            }
        }
    }

    private PinValue Level(bool on) => on != _activeLow ? PinValue.High : PinValue.Low;

    // Under _gate: write the current step, then schedule the next one. Each schedule gets its own
    // timer and ticket, so a callback already on its way for a replaced pattern does nothing.
    private void ApplyStep()
    {
        CancelTimer();
        var step = _pattern.Steps[_step];
        try
        {
            _controller.Write(_pin, Level(step.On));
        }
        catch (Exception e) when (GpioException.IsHardwareProblem(e))
        {
            _stopped = true;
            _report($"status LED disabled: {e.Message}");
            return;
        }
        if (step.Duration == Timeout.InfiniteTimeSpan)
            return;
        _timer = _time.CreateTimer(OnStepElapsed, _ticket, step.Duration, Timeout.InfiniteTimeSpan);
    }

    private void OnStepElapsed(object? ticket)
    {
        lock (_gate)
        {
            if (_stopped || (long)ticket! != _ticket)
                return;
            _step = (_step + 1) % _pattern.Steps.Count;
            ApplyStep();
        }
    }

    private void CancelTimer()
    {
        _ticket++;
        _timer?.Dispose();
        _timer = null;
    }
}
