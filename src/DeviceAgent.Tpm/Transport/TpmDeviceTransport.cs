namespace DeviceAgent.Tpm.Transport;

/// <summary>
/// A TPM character device: the kernel resource manager <c>/dev/tpmrm0</c> (the default; it
/// virtualises object and session slots per open file) or the raw <c>/dev/tpm0</c>. The kernel
/// takes a whole command in one write(2) and returns the whole response in one read(2) (Linux
/// <c>drivers/char/tpm/tpm-dev-common.c</c>). Thread-safe.
/// </summary>
public sealed class TpmDeviceTransport : ITpmTransport
{
    // The kernel's TPM_BUFSIZE: no command or response is larger.
    private const int MaxResponse = 4096;
    private readonly FileStream _device;
    private readonly Lock _lock = new();

    /// <summary>Opens the device.</summary>
    /// <exception cref="TpmTransportException">The device is missing or not accessible.</exception>
    public TpmDeviceTransport(string path = "/dev/tpmrm0")
    {
        ArgumentNullException.ThrowIfNull(path);
        Path = path;
        if (!File.Exists(path))
        {
            throw new TpmTransportException(
                $"TPM device {path} does not exist: is a TPM fitted and its driver loaded (on a Raspberry Pi: dtoverlay=tpm-slb9670 in config.txt)? "
                + "For the simulator name it swtpm:host=127.0.0.1,port=2321");
        }
        try
        {
            _device = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new TpmTransportException($"TPM device {path} is not accessible to this user: add the user to the 'tss' group (the owner of {path})", ex);
        }
        catch (IOException ex)
        {
            throw new TpmTransportException($"TPM device {path} cannot be opened: {ex.Message}", ex);
        }
    }

    /// <summary>The device node.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public byte[] Send(ReadOnlySpan<byte> command)
    {
        lock (_lock)
        {
            try
            {
                _device.Write(command);
                var buffer = new byte[MaxResponse];
                var read = _device.Read(buffer);
                if (read < 10)
                    throw new TpmTransportException($"TPM device {Path} returned {read} byte(s), less than a response header");
                return buffer.AsSpan(0, read).ToArray();
            }
            catch (IOException ex)
            {
                throw new TpmTransportException($"TPM device {Path}: {ex.Message}", ex);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _device.Dispose();
}
