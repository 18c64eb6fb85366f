using System.Runtime.InteropServices;

namespace DeviceAgent.Hardware.Gpio.Native;

/// <summary>An owned Linux file descriptor (a chip, a line request, an eventfd), closed exactly once.</summary>
internal sealed class FileDescriptor : SafeHandle
{
    public FileDescriptor(int fd)
        : base(new IntPtr(-1), ownsHandle: true)
    {
        SetHandle(new IntPtr(fd));
    }

    /// <inheritdoc />
    public override bool IsInvalid => handle.ToInt64() < 0;

    /// <summary>The descriptor number; valid while the handle is not closed.</summary>
    public int Value => (int)handle.ToInt64();

    /// <inheritdoc />
    protected override bool ReleaseHandle() => LibC.close((int)handle.ToInt64()) == 0;
}
