using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace DeviceAgent.Keys.OpenSsl;

/// <summary>
/// Makes sure the libcrypto this assembly binds to is the very instance .NET's own cryptography
/// loaded. The runtime's native shim (System.Security.Cryptography.Native.OpenSsl) dlopens
/// <c>libssl.so.3</c>, which brings <c>libcrypto.so.3</c>; our imports name the same soname, so the
/// dynamic loader hands back the loaded library. A key method registered in a second copy would
/// never be called by SslStream, so the bridge refuses to start rather than fail mysteriously:
/// after forcing the runtime to load OpenSSL, exactly one libcrypto may be mapped into the process
/// (/proc/self/maps), it must be the one that holds our binding's functions, and its version must
/// be the runtime's.
/// </summary>
internal static unsafe class LibCryptoInstance
{
    private static readonly Lazy<string> s_path = new(Verify, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The path of the shared libcrypto.</summary>
    /// <exception cref="KeyCustodyException"><see cref="KeyCustodyError.OpenSslBridgeFailed"/>: not one shared instance.</exception>
    public static string EnsureSameAsRuntime() => s_path.Value;

    private static string Verify()
    {
        var runtimeVersion = SafeEvpPKeyHandle.OpenSslVersion; // loads and initialises OpenSSL through the runtime
        if (!NativeLibrary.TryLoad(LibCrypto.Library, typeof(LibCryptoInstance).Assembly, null, out var library))
            throw OpenSslKeyMethodBridge.Failed($"{LibCrypto.Library} cannot be loaded; .NET's cryptography on Linux needs OpenSSL 3 (apt-get install libssl3)");
        var ours = (long)LibCrypto.OpenSSL_version_num().Value;
        if (ours != runtimeVersion)
        {
            throw OpenSslKeyMethodBridge.Failed(
                $".NET uses OpenSSL 0x{runtimeVersion:x} but {LibCrypto.Library} is 0x{ours:x}: the runtime loaded another OpenSSL " +
                "(DOTNET_OPENSSL_VERSION_OVERRIDE?); TLS keys need the runtime's libcrypto");
        }
        var address = (ulong)NativeLibrary.GetExport(library, "OpenSSL_version_num");
        var mapped = MappedLibCryptos(address, out var ourPath);
        if (ourPath is null || mapped.Count != 1)
        {
            throw OpenSslKeyMethodBridge.Failed(
                $"this process maps {mapped.Count} libcrypto instances ({string.Join(", ", mapped)}); the key-method bridge must " +
                "use the one .NET loaded");
        }
        return ourPath;
    }

    // /proc/self/maps: "start-end perms offset dev inode path".
    private static HashSet<string> MappedLibCryptos(ulong address, out string? containing)
    {
        containing = null;
        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines("/proc/self/maps"))
        {
            var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 6 || !Path.GetFileName(fields[5]).StartsWith("libcrypto.so", StringComparison.Ordinal))
                continue;
            var path = fields[5].Trim();
            paths.Add(path);
            var range = fields[0].Split('-');
            var start = ulong.Parse(range[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var end = ulong.Parse(range[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (address >= start && address < end)
                containing = path;
        }
        return paths;
    }
}
