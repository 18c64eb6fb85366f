namespace DeviceAgent.Hardware.Button;

/// <summary>
/// Debounce and long-press detection over raw button levels, on timers from a
/// <see cref="TimeProvider"/> (pure logic: tests script the edges and move a fake clock).
/// <list type="bullet">
/// <item>A level counts once it has held for <see cref="ButtonTiming.Debounce"/> after its last
/// raw edge; a bounce shorter than that changes nothing, and a press starts at its last edge.</item>
/// <item><see cref="LongPress"/> is raised once per press, as soon as the button has been held for
/// <see cref="ButtonTiming.LongPress"/> (not at release), so the person holding it gets the
/// reaction without guessing when to let go. A release that is still bouncing when the threshold
/// passes defers the decision to the debounce: a real release cancels, a glitch fires.</item>
/// <item>A button already pressed when the detector starts (held during boot, or stuck) is ignored
/// until it has been released once: a stuck button never re-provisions a device at every boot.</item>
/// </list>
/// Thread-safe; events are raised outside the lock, on the caller's or a timer's thread.
/// </summary>
internal sealed class ButtonPressDetector : IDisposable
{
    private readonly TimeProvider _time;
    private readonly ButtonTiming _timing;
    private readonly Lock _gate = new();
    private bool _raw;
    private bool _stable;
    private bool _armed;
    private bool _fired;
    private long _lastEdge;
    private long _pressedAt;
    private ITimer? _debounceTimer;
    private ITimer? _longPressTimer;
    private long _debounceTicket;
    private long _longPressTicket;
    private bool _disposed;

    public ButtonPressDetector(TimeProvider time, ButtonTiming timing, bool initiallyPressed)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(timing);
        _time = time;
        _timing = timing;
        _raw = _stable = initiallyPressed;
        _armed = !initiallyPressed;
    }

    /// <summary>The button was held for the long-press threshold (once per press).</summary>
    public event EventHandler? LongPress;

    /// <summary>The debounced level: true while the button counts as pressed.</summary>
    public bool IsPressed
    {
        get
        {
            lock (_gate)
                return _stable;
        }
    }

    /// <summary>A raw edge: the line's level is now <paramref name="pressed"/>.</summary>
    public void OnLevel(bool pressed)
    {
        lock (_gate)
        {
            if (_disposed || pressed == _raw)
                return; // a repeated level (an edge the kernel merged) restarts nothing
            _raw = pressed;
            _lastEdge = _time.GetTimestamp();
            _debounceTimer?.Dispose();
            _debounceTimer = _time.CreateTimer(OnDebounced, ++_debounceTicket, _timing.Debounce, Timeout.InfiniteTimeSpan);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _debounceTimer?.Dispose();
            _longPressTimer?.Dispose();
        }
    }

    private void OnDebounced(object? ticket)
    {
        bool fire;
        lock (_gate)
        {
            if (_disposed || (long)ticket! != _debounceTicket)
                return;
            if (_raw == _stable)
            {
                // A glitch that came back: the press goes on; it may have passed the threshold meanwhile.
                fire = _stable && HeldLongEnough();
            }
            else
            {
                _stable = _raw;
                fire = false;
                if (_stable)
                    StartPress();
                else
                    EndPress();
            }
        }
        if (fire)
            LongPress?.Invoke(this, EventArgs.Empty);
    }

    private void OnLongPressElapsed(object? ticket)
    {
        bool fire;
        lock (_gate)
        {
            if (_disposed || (long)ticket! != _longPressTicket)
                return;
            // A release still bouncing (raw released, not yet debounced) leaves the decision to OnDebounced.
            fire = _raw && HeldLongEnough();
        }
        if (fire)
            LongPress?.Invoke(this, EventArgs.Empty);
    }

    // Under _gate.
    private void StartPress()
    {
        if (!_armed)
            return;
        _pressedAt = _lastEdge;
        _fired = false;
        var remaining = _timing.LongPress - _time.GetElapsedTime(_pressedAt);
        _longPressTimer?.Dispose();
        _longPressTimer = _time.CreateTimer(OnLongPressElapsed, ++_longPressTicket,
            remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    // Under _gate.
    private void EndPress()
    {
        _armed = true;
        _longPressTicket++;
        _longPressTimer?.Dispose();
        _longPressTimer = null;
    }

    // Under _gate: true once per armed press held for the threshold; marks it fired.
    private bool HeldLongEnough()
    {
        if (!_armed || _fired || _time.GetElapsedTime(_pressedAt) < _timing.LongPress)
            return false;
        _fired = true;
        return true;
    }
}
