namespace DeviceAgent.Hardware.Gpio.Native;

/// <summary>
/// ioctl(2) request numbers as the _IOR/_IOWR macros of include/uapi/asm-generic/ioctl.h build them:
/// direction in bits 30-31 (_IOC_WRITE = 1, _IOC_READ = 2), argument size in bits 16-29, type in
/// bits 8-15, number in bits 0-7. This is the encoding of x86, arm and arm64 (the Raspberry Pi);
/// powerpc, mips and sparc differ and are not supported.
/// </summary>
internal static class Ioctl
{
    private const uint Write = 1;
    private const uint Read_ = 2;

    /// <summary>_IOR(type, number, size).</summary>
    public static nuint Read(uint type, uint number, int size) => Encode(Read_, type, number, size);

    /// <summary>_IOWR(type, number, size).</summary>
    public static nuint ReadWrite(uint type, uint number, int size) => Encode(Read_ | Write, type, number, size);

    private static nuint Encode(uint direction, uint type, uint number, int size)
    {
        if (size is < 0 or >= 1 << 14)
            throw new ArgumentOutOfRangeException(nameof(size), size, "an ioctl argument is at most 16383 bytes");
        return (nuint)((direction << 30) | ((uint)size << 16) | (type << 8) | number);
    }
}
