using DeviceAgent.Hardware.Gpio;

namespace DeviceAgent.Hardware.Button;

/// <summary>
/// The re-provision button on a GPIO input line: the line's edges feed a
/// <see cref="ButtonPressDetector"/>, whose long press becomes <see cref="ReprovisionRequested"/>.
/// A line that stops delivering edges is reported once; the button is then simply never pressed.
/// Owns the line.
/// </summary>
public sealed class GpioReprovisionButton : IReprovisionButton, IDisposable
{
    private readonly IGpioInputLine _line;
    private readonly ButtonPressDetector _detector;
    private readonly Action<string> _report;
    private int _faulted;

    /// <summary>Watches a button line.</summary>
    /// <param name="line">The button's input line, requested with both edges (owned from now on).</param>
    /// <param name="time">The clock for debounce and long press.</param>
    /// <param name="timing">The thresholds.</param>
    /// <param name="report">Receives the one message about a failed line.</param>
    /// <exception cref="GpioException">The line's initial level cannot be read.</exception>
    public GpioReprovisionButton(IGpioInputLine line, TimeProvider time, ButtonTiming timing, Action<string> report)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(report);
        _line = line;
        _report = report;
        _detector = new ButtonPressDetector(time, timing, line.Read());
        _detector.LongPress += OnLongPress;
        _line.EdgeDetected += OnEdge;
        _line.Faulted += OnFaulted;
    }

    /// <inheritdoc />
    public event EventHandler? ReprovisionRequested;

    /// <summary>The debounced level: true while the button counts as pressed.</summary>
    public bool IsPressed => _detector.IsPressed;

    /// <summary>Stops watching and releases the line.</summary>
    public void Dispose()
    {
        _line.EdgeDetected -= OnEdge;
        _line.Faulted -= OnFaulted;
        _detector.Dispose();
        _line.Dispose();
    }

    private void OnEdge(object? sender, GpioEdge edge) => _detector.OnLevel(edge.IsActive);

    private void OnLongPress(object? sender, EventArgs e) => ReprovisionRequested?.Invoke(this, EventArgs.Empty);

    private void OnFaulted(object? sender, GpioException e)
    {
        if (Interlocked.Exchange(ref _faulted, 1) == 0)
            _report($"re-provision button disabled: {e.Message}");
    }
}
