using DeviceAgent.Hardware.Gpio;

namespace DeviceAgent.Hardware.Tests.Support;

/// <summary>
/// A GPIO chip in memory behind <see cref="IGpioChip"/>: records what the code under test
/// requests and writes, lets the test drive input levels, and fails the way the kernel does
/// (busy lines, missing lines) with the real <see cref="GpioException"/> messages.
/// </summary>
public sealed class FakeGpioChip : IGpioChip
{
    private readonly TimeProvider _time;
    private readonly Dictionary<int, string> _busy = [];

    public FakeGpioChip(string path = "/dev/gpiochip0", string label = "pinctrl-bcm2711", int lineCount = 58, TimeProvider? time = null)
    {
        Path = path;
        Name = System.IO.Path.GetFileName(path);
        Label = label;
        LineCount = lineCount;
        _time = time ?? TimeProvider.System;
    }

    public string Path { get; }

    public string Name { get; }

    public string Label { get; }

    public int LineCount { get; }

    public bool IsDisposed { get; private set; }

    public List<FakeOutputLine> Outputs { get; } = [];

    public List<FakeInputLine> Inputs { get; } = [];

    /// <summary>Makes a line busy, held by <paramref name="consumer"/>, as another program or an overlay would.</summary>
    public FakeGpioChip Claim(int offset, string consumer)
    {
        _busy[offset] = consumer;
        return this;
    }

    public IGpioOutputLine RequestOutput(int offset, bool activeLow, bool initialActive, string consumer)
    {
        Check(offset);
        var line = new FakeOutputLine(offset, activeLow, consumer, _time);
        line.Write(initialActive);
        Outputs.Add(line);
        _busy[offset] = consumer;
        return line;
    }

    public IGpioInputLine RequestInput(int offset, bool activeLow, GpioBias bias, string consumer)
    {
        Check(offset);
        var line = new FakeInputLine(offset, activeLow, bias, consumer);
        Inputs.Add(line);
        _busy[offset] = consumer;
        return line;
    }

    public void Dispose() => IsDisposed = true;

    private void Check(int offset)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (offset >= LineCount)
            throw GpioException.NoSuchLine(Path, Label, offset, LineCount);
        if (_busy.TryGetValue(offset, out var holder))
            throw GpioException.RequestFailed(Path, Label, offset, 16 /* EBUSY */, holder);
    }
}

/// <summary>An output line that remembers every value written and when.</summary>
public sealed class FakeOutputLine(int offset, bool activeLow, string consumer, TimeProvider time) : IGpioOutputLine
{
    public int Offset { get; } = offset;

    public bool ActiveLow { get; } = activeLow;

    public string Consumer { get; } = consumer;

    public bool IsDisposed { get; private set; }

    /// <summary>The last logical value written.</summary>
    public bool Value { get; private set; }

    /// <summary>Every write, with the clock's time.</summary>
    public List<(DateTimeOffset At, bool Value)> Writes { get; } = [];

    /// <summary>Set to make the next writes fail as if the chip had gone away.</summary>
    public GpioException? FailWith { get; set; }

    public void Write(bool active)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (FailWith is not null)
            throw FailWith;
        Value = active;
        Writes.Add((time.GetUtcNow(), active));
    }

    public void Dispose() => IsDisposed = true;
}

/// <summary>An input line whose level the test sets; each change raises an edge as the kernel would.</summary>
public sealed class FakeInputLine(int offset, bool activeLow, GpioBias bias, string consumer) : IGpioInputLine
{
    private uint _sequence;

    public int Offset { get; } = offset;

    public bool ActiveLow { get; } = activeLow;

    public GpioBias Bias { get; } = bias;

    public string Consumer { get; } = consumer;

    public bool IsDisposed { get; private set; }

    /// <summary>The logical level Read returns; set it with <see cref="Drive"/> to raise an edge too.</summary>
    public bool Level { get; set; }

    public event EventHandler<GpioEdge>? EdgeDetected;

    public event EventHandler<GpioException>? Faulted;

    public bool HasSubscribers => EdgeDetected is not null;

    public bool Read()
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        return Level;
    }

    /// <summary>Changes the level and raises the edge (nothing when the level does not change).</summary>
    public void Drive(bool active)
    {
        if (active == Level)
            return;
        Level = active;
        EdgeDetected?.Invoke(this, new GpioEdge(Offset, active ? GpioEdgeKind.Rising : GpioEdgeKind.Falling, 0, ++_sequence));
    }

    /// <summary>Raises the edge without changing the level (a duplicate event).</summary>
    public void Repeat(bool active) =>
        EdgeDetected?.Invoke(this, new GpioEdge(Offset, active ? GpioEdgeKind.Rising : GpioEdgeKind.Falling, 0, ++_sequence));

    public void Fault(GpioException error) => Faulted?.Invoke(this, error);

    public void Dispose() => IsDisposed = true;
}
