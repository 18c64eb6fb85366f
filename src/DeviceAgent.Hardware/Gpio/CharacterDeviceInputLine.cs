using System.Runtime.InteropServices;
using DeviceAgent.Hardware.Gpio.Native;
using static DeviceAgent.Hardware.Gpio.Native.GpioUapi;

namespace DeviceAgent.Hardware.Gpio;

/// <summary>
/// An input line with edge detection, requested from a <see cref="CharacterDeviceGpioChip"/>. A
/// background thread polls the request's file descriptor and an eventfd (the stop signal), reads
/// struct gpio_v2_line_event records and raises <see cref="EdgeDetected"/>. Dispose signals the
/// eventfd and waits for the thread (unless a handler disposes the line from that thread); the
/// descriptors are closed by whichever of the two comes last, so no system call ever sees a
/// closed (or reused) descriptor number.
/// </summary>
internal sealed unsafe class CharacterDeviceInputLine : IGpioInputLine
{
    private const int EventsPerRead = 16;

    private readonly string _chipPath;
    private readonly FileDescriptor _line;
    private readonly FileDescriptor _stop;
    private readonly Thread _reader;
    private readonly Lock _gate = new();
    private bool _disposed;
    private bool _readerExited;

    public CharacterDeviceInputLine(string chipPath, int offset, FileDescriptor line)
    {
        _chipPath = chipPath;
        Offset = offset;
        _line = line;
        var stop = LibC.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
        if (stop < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            line.Dispose();
            throw new GpioException($"eventfd for the edge reader of line {offset} of {chipPath} failed: {LibC.Describe(errno)}");
        }
        _stop = new FileDescriptor(stop);
        _reader = new Thread(ReadEdges) { IsBackground = true, Name = $"gpio {chipPath} line {offset}" };
        _reader.Start();
    }

    public int Offset { get; }

    public event EventHandler<GpioEdge>? EdgeDetected;

    public event EventHandler<GpioException>? Faulted;

    public bool Read()
    {
        var values = new gpio_v2_line_values { mask = 1 };
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (CharacterDeviceGpioChip.Ioctl(_line.Value, GPIO_V2_LINE_GET_VALUES_IOCTL, &values) < 0)
                throw GpioException.ValueFailed(_chipPath, Offset, "reading", Marshal.GetLastPInvokeError());
        }
        return (values.bits & 1) != 0;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
            if (_readerExited)
            {
                CloseDescriptors();
                return;
            }
            ulong one = 1;
            _ = LibC.write(_stop.Value, &one, sizeof(ulong));
        }
        if (Thread.CurrentThread != _reader)
            _reader.Join();
    }

    private void ReadEdges()
    {
        try
        {
            ReadUntilStopped();
        }
        finally
        {
            lock (_gate)
            {
                _readerExited = true;
                if (_disposed)
                    CloseDescriptors();
            }
        }
    }

    private void CloseDescriptors()
    {
        _stop.Dispose();
        _line.Dispose();
    }

    private void ReadUntilStopped()
    {
        var buffer = stackalloc gpio_v2_line_event[EventsPerRead];
        var fds = stackalloc LibC.PollFd[2];
        while (true)
        {
            fds[0] = new LibC.PollFd { fd = _line.Value, events = LibC.POLLIN };
            fds[1] = new LibC.PollFd { fd = _stop.Value, events = LibC.POLLIN };
            if (LibC.poll(fds, 2, -1) < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == LibC.EINTR)
                    continue;
                Fault(errno);
                return;
            }
            if (fds[1].revents != 0)
                return;
            if ((fds[0].revents & LibC.POLLIN) == 0)
            {
                Fault(LibC.EIO); // POLLERR, POLLHUP or POLLNVAL: the chip went away
                return;
            }
            var read = LibC.read(_line.Value, buffer, (nuint)(sizeof(gpio_v2_line_event) * EventsPerRead));
            if (read < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno is LibC.EINTR or LibC.EAGAIN)
                    continue;
                Fault(errno);
                return;
            }
            for (var i = 0; i < read / sizeof(gpio_v2_line_event); i++)
            {
                if (IsDisposed())
                    return; // a handler released the line: deliver nothing more
                EdgeDetected?.Invoke(this, ToEdge(buffer[i]));
            }
        }
    }

    internal static GpioEdge ToEdge(in gpio_v2_line_event e) => new(
        (int)e.offset,
        e.id == GPIO_V2_LINE_EVENT_RISING_EDGE ? GpioEdgeKind.Rising : GpioEdgeKind.Falling,
        e.timestamp_ns,
        e.line_seqno);

    private void Fault(int errno)
    {
        if (!IsDisposed())
            Faulted?.Invoke(this, GpioException.EventReadFailed(_chipPath, Offset, errno));
    }

    private bool IsDisposed()
    {
        lock (_gate)
            return _disposed;
    }
}
