namespace DeviceAgent.Hardware.Tpm;

/// <summary>Whether the current user can open a device node for reading and writing.</summary>
public enum DeviceAccess
{
    /// <summary>It opened.</summary>
    Granted,

    /// <summary>EACCES/EPERM.</summary>
    PermissionDenied,

    /// <summary>It does not exist.</summary>
    Missing,

    /// <summary>Any other failure (EBUSY, EIO...).</summary>
    Failed,
}

/// <summary>The default access check: open the node read-write and close it again (no TPM command is sent).</summary>
public static class DeviceAccessProbe
{
    /// <summary>Tries to open <paramref name="path"/> for reading and writing.</summary>
    public static DeviceAccess Open(string path)
    {
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
            return DeviceAccess.Granted;
        }
        catch (UnauthorizedAccessException)
        {
            return DeviceAccess.PermissionDenied;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return DeviceAccess.Missing;
        }
        catch (IOException)
        {
            return DeviceAccess.Failed;
        }
    }
}
