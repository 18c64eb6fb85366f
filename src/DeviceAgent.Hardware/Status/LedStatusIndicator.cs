using DeviceAgent.Hardware.Gpio;

namespace DeviceAgent.Hardware.Status;

/// <summary>
/// A status LED on a GPIO output line, blinking the pattern of the current state
/// (<see cref="BlinkPattern.For"/>) on timers from a <see cref="TimeProvider"/>, so that tests
/// drive it on a fake clock. Thread-safe. A write that fails is reported once; the LED then goes
/// dark and the indicator ignores further states (the agent runs on without it).
/// Owns the line: Dispose turns the LED off and releases it.
/// </summary>
public sealed class LedStatusIndicator : IStatusIndicator, IDisposable
{
    private readonly IGpioOutputLine _led;
    private readonly TimeProvider _time;
    private readonly Action<string> _report;
    private readonly Lock _gate = new();
    private BlinkPattern _pattern = BlinkPattern.SteadyOff;
    private DeviceState? _state;
    private int _step;
    private long _ticket;
    private ITimer? _timer;
    private bool _stopped;

    /// <summary>Creates an indicator; the LED stays as it is until the first <see cref="Show"/>.</summary>
    /// <param name="led">The LED's output line (owned from now on).</param>
    /// <param name="time">The clock for the pattern's steps.</param>
    /// <param name="report">Receives the one message about a failed LED.</param>
    public LedStatusIndicator(IGpioOutputLine led, TimeProvider time, Action<string> report)
    {
        ArgumentNullException.ThrowIfNull(led);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(report);
        _led = led;
        _time = time;
        _report = report;
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

    /// <summary>Stops the pattern, turns the LED off and releases its line.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (!_stopped)
            {
                _stopped = true;
                CancelTimer();
                try
                {
                    _led.Write(false);
                }
                catch (GpioException)
                {
                    // Releasing the line below is all that is left to do.
                }
            }
        }
        _led.Dispose();
    }

    // Under _gate: write the current step, then schedule the next one. Each schedule gets its own
    // timer and ticket, so a callback already on its way for a replaced pattern does nothing.
    private void ApplyStep()
    {
        CancelTimer();
        var step = _pattern.Steps[_step];
        try
        {
            _led.Write(step.On);
        }
        catch (GpioException e)
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
