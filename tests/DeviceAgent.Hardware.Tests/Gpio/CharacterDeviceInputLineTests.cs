using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using DeviceAgent.Hardware.Gpio;
using DeviceAgent.Hardware.Gpio.Native;
using DeviceAgent.Hardware.Tests.Support;
using static DeviceAgent.Hardware.Gpio.Native.GpioUapi;

namespace DeviceAgent.Hardware.Tests.Gpio;

/// <summary>
/// The edge reader's real machinery (poll(2) on the line and an eventfd, read(2) of
/// struct gpio_v2_line_event, stop and release) over a pipe that stands in for the line request.
/// </summary>
public sealed class CharacterDeviceInputLineTests : IDisposable
{
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(10);
    private readonly Pipe _pipe = new();
    private readonly CharacterDeviceInputLine _line;
    private readonly BlockingCollection<GpioEdge> _edges = [];
    private readonly BlockingCollection<GpioException> _faults = [];

    public CharacterDeviceInputLineTests()
    {
        _line = new CharacterDeviceInputLine("/dev/gpiochip0", 27, new FileDescriptor(_pipe.ReadEnd));
        _line.EdgeDetected += (_, edge) => _edges.Add(edge);
        _line.Faulted += (_, error) => _faults.Add(error);
    }

    public void Dispose()
    {
        _line.Dispose();
        _pipe.Dispose();
        _edges.Dispose();
        _faults.Dispose();
    }

    [Fact]
    public void Edge_events_read_from_the_line_are_raised_in_order()
    {
        _pipe.Write(Events(
            new() { timestamp_ns = 1_000, id = GPIO_V2_LINE_EVENT_RISING_EDGE, offset = 27, seqno = 1, line_seqno = 1 },
            new() { timestamp_ns = 2_000, id = GPIO_V2_LINE_EVENT_FALLING_EDGE, offset = 27, seqno = 2, line_seqno = 2 }));
        _pipe.Write(Events(new gpio_v2_line_event { timestamp_ns = 3_000, id = GPIO_V2_LINE_EVENT_RISING_EDGE, offset = 27, seqno = 3, line_seqno = 3 }));

        Assert.Equal(new GpioEdge(27, GpioEdgeKind.Rising, 1_000, 1), Next());
        Assert.Equal(new GpioEdge(27, GpioEdgeKind.Falling, 2_000, 2), Next());
        var third = Next();
        Assert.True(third.IsActive);
        Assert.Equal(3u, third.LineSequence);
    }

    [Fact]
    public void A_line_that_hangs_up_is_reported_once_as_a_fault()
    {
        _pipe.CloseWriteEnd();
        Assert.True(_faults.TryTake(out var fault, s_patience), "no fault raised");
        Assert.Equal(LibC.EIO, fault!.Errno);
        Assert.Contains("reading edge events of line 27 of /dev/gpiochip0 failed", fault.Message, StringComparison.Ordinal);
        Assert.False(_faults.TryTake(out _, TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public void Dispose_stops_the_reader_promptly_and_is_idempotent()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        _line.Dispose();
        _line.Dispose();
        Assert.True(watch.Elapsed < s_patience);
        Assert.Throws<ObjectDisposedException>(() => _line.Read());
        Assert.Empty(_faults);
    }

    [Fact]
    public void A_handler_may_dispose_the_line_from_the_reader_thread()
    {
        using var disposed = new ManualResetEventSlim();
        _line.EdgeDetected += (_, _) =>
        {
            _line.Dispose();
            disposed.Set();
        };
        _pipe.Write(Events(new gpio_v2_line_event { id = GPIO_V2_LINE_EVENT_RISING_EDGE, offset = 27 }));
        Assert.True(disposed.Wait(s_patience));
        Assert.Throws<ObjectDisposedException>(() => _line.Read());
    }

    [Fact]
    public void Reading_the_level_of_something_that_is_not_a_line_fails_with_the_kernels_error()
    {
        var e = Assert.Throws<GpioException>(() => _line.Read());
        Assert.Equal(LibC.ENOTTY, e.Errno);
        Assert.StartsWith("reading line 27 of /dev/gpiochip0 failed", e.Message, StringComparison.Ordinal);
    }

    private GpioEdge Next()
    {
        Assert.True(_edges.TryTake(out var edge, s_patience), "no edge raised");
        return edge;
    }

    private static byte[] Events(params gpio_v2_line_event[] events) => MemoryMarshal.AsBytes(events.AsSpan()).ToArray();
}
