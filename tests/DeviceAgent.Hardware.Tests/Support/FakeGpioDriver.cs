using System.Collections.Concurrent;
using System.Device.Gpio;

namespace DeviceAgent.Hardware.Tests.Support;

/// <summary>
/// A GPIO chip in memory behind System.Device.Gpio's own seam (a <see cref="GpioDriver"/>): the code
/// under test drives it through a real <see cref="GpioController"/>. Records modes and writes, lets
/// the test drive input levels (edges reach the registered callbacks as the kernel's would), and
/// fails the way libgpiod does (busy lines, writes that fail).
/// </summary>
internal sealed class FakeGpioDriver(int pinCount = 58) : GpioDriver
{
    private readonly ConcurrentDictionary<int, PinMode> _modes = new();
    private readonly ConcurrentDictionary<int, PinValue> _levels = new();
    private readonly ConcurrentDictionary<int, List<PinValue>> _writes = new();
    private readonly ConcurrentDictionary<int, PinChangeEventHandler> _callbacks = new();
    private readonly HashSet<int> _busy = [];

    public HashSet<int> Open { get; } = [];

    public HashSet<int> Closed { get; } = [];

    public bool IsDisposed { get; private set; }

    /// <summary>Writes fail with this once set (a line that vanished, say).</summary>
    public Exception? FailWith { get; set; }

    protected override int PinCount => pinCount;

    /// <summary>Makes a line busy, as another program or an overlay holding it would.</summary>
    public FakeGpioDriver Claim(int pin)
    {
        _busy.Add(pin);
        return this;
    }

    public PinMode ModeOf(int pin) => _modes[pin];

    public bool IsHigh(int pin) => _levels.GetValueOrDefault(pin, PinValue.Low) == PinValue.High;

    public IReadOnlyList<PinValue> WritesTo(int pin) => _writes.TryGetValue(pin, out var writes) ? [.. writes] : [];

    public bool HasCallback(int pin) => _callbacks.ContainsKey(pin);

    /// <summary>Sets an input's level; a change reaches the callback as a rising or falling edge.</summary>
    public void Drive(int pin, PinValue level)
    {
        var before = _levels.GetValueOrDefault(pin, PinValue.Low);
        _levels[pin] = level;
        if (before != level && _callbacks.TryGetValue(pin, out var callback))
            callback(this, new PinValueChangedEventArgs(level == PinValue.High ? PinEventTypes.Rising : PinEventTypes.Falling, pin));
    }

    protected override void OpenPin(int pinNumber)
    {
        if (_busy.Contains(pinNumber))
            throw new IOException($"Pin {pinNumber} is not available. Error: Device or resource busy");
        Open.Add(pinNumber);
    }

    protected override void ClosePin(int pinNumber)
    {
        Open.Remove(pinNumber);
        Closed.Add(pinNumber);
    }

    protected override void SetPinMode(int pinNumber, PinMode mode)
    {
        _modes[pinNumber] = mode;
        if (mode == PinMode.InputPullUp && !_levels.ContainsKey(pinNumber))
            _levels[pinNumber] = PinValue.High;
    }

    protected override PinMode GetPinMode(int pinNumber) => _modes.GetValueOrDefault(pinNumber, PinMode.Input);

    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => true;

    protected override PinValue Read(int pinNumber) => _levels.GetValueOrDefault(pinNumber, PinValue.Low);

    protected override void Write(int pinNumber, PinValue value)
    {
        if (FailWith is { } failure)
            throw failure;
        _levels[pinNumber] = value;
        _writes.GetOrAdd(pinNumber, _ => []).Add(value);
    }

    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken) =>
        throw new NotSupportedException("the code under test uses callbacks");

    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback) =>
        _callbacks.AddOrUpdate(pinNumber, callback, (_, existing) => existing + callback);

    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback)
    {
        if (_callbacks.TryGetValue(pinNumber, out var existing) && (existing - callback) is { } rest)
            _callbacks[pinNumber] = rest;
        else
            _callbacks.TryRemove(pinNumber, out _);
    }

    protected override void Dispose(bool disposing)
    {
        IsDisposed = true;
        base.Dispose(disposing);
    }
}
