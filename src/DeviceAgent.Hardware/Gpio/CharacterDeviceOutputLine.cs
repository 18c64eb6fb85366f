using System.Runtime.InteropServices;
using DeviceAgent.Hardware.Gpio.Native;
using static DeviceAgent.Hardware.Gpio.Native.GpioUapi;

namespace DeviceAgent.Hardware.Gpio;

/// <summary>An output line requested from a <see cref="CharacterDeviceGpioChip"/>; its file descriptor is the request.</summary>
internal sealed unsafe class CharacterDeviceOutputLine : IGpioOutputLine
{
    private readonly string _chipPath;
    private readonly FileDescriptor _line;
    private readonly Lock _gate = new();

    public CharacterDeviceOutputLine(string chipPath, int offset, FileDescriptor line)
    {
        _chipPath = chipPath;
        Offset = offset;
        _line = line;
    }

    public int Offset { get; }

    public void Write(bool active)
    {
        // Bit 0 of bits/mask is offsets[0] of the request: the one line requested.
        var values = new gpio_v2_line_values { bits = active ? 1UL : 0UL, mask = 1 };
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_line.IsClosed, this);
            if (CharacterDeviceGpioChip.Ioctl(_line.Value, GPIO_V2_LINE_SET_VALUES_IOCTL, &values) < 0)
                throw GpioException.ValueFailed(_chipPath, Offset, "setting", Marshal.GetLastPInvokeError());
        }
    }

    public void Dispose()
    {
        lock (_gate)
            _line.Dispose();
    }
}
