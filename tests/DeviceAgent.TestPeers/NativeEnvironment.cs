using System.Runtime.InteropServices;

namespace DeviceAgent.TestPeers;

/// <summary>
/// Sets environment variables where native libraries see them. .NET keeps its own copy of the
/// environment on Unix; PKCS#11 modules read the C library's (getenv) when they initialise.
/// </summary>
public static partial class NativeEnvironment
{
    private static readonly Lock s_gate = new();

    /// <summary>Sets a variable for both .NET and native code of this process.</summary>
    public static void Set(string name, string value)
    {
        lock (s_gate)
        {
            if (setenv(name, value, 1) != 0)
                throw new InvalidOperationException($"setenv({name}) failed: errno {Marshal.GetLastPInvokeError()}");
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int setenv(string name, string value, int overwrite);
}
