using System.Runtime.InteropServices;

namespace DeviceAgent.Keys.OpenSsl;

/// <summary>
/// The few libcrypto (OpenSSL 3) functions the engine bridge needs. The runtime's own
/// cryptography already loaded libcrypto.so.3, so these bind to the same library instance
/// (and the same ENGINE and EVP_PKEY objects) that <c>SslStream</c> uses.
/// </summary>
internal static partial class LibCrypto
{
    internal const string Library = "libcrypto.so.3";

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr ENGINE_by_id(string id);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int ENGINE_ctrl_cmd_string(IntPtr engine, string command, string? argument, int optional);

    [LibraryImport(Library)]
    internal static partial int ENGINE_init(IntPtr engine);

    [LibraryImport(Library)]
    internal static partial int ENGINE_free(IntPtr engine);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial IntPtr ENGINE_load_private_key(IntPtr engine, string keyId, IntPtr uiMethod, IntPtr callbackData);

    [LibraryImport(Library)]
    internal static partial int EVP_PKEY_get_base_id(IntPtr pkey);

    [LibraryImport(Library)]
    internal static partial IntPtr OpenSSL_version(int type);

    internal const int OPENSSL_ENGINES_DIR = 5;

    [LibraryImport(Library)]
    internal static partial nuint ERR_get_error();

    [LibraryImport(Library)]
    internal static unsafe partial void ERR_error_string_n(nuint error, byte* buffer, nuint length);

    [LibraryImport(Library)]
    internal static partial void ERR_clear_error();

    internal const int EVP_PKEY_RSA = 6;
    internal const int EVP_PKEY_EC = 408;

    /// <summary>Drains OpenSSL's error queue of this thread into one line.</summary>
    internal static unsafe string DrainErrors()
    {
        var messages = new List<string>();
        var buffer = stackalloc byte[256];
        for (var error = ERR_get_error(); error != 0; error = ERR_get_error())
        {
            ERR_error_string_n(error, buffer, 256);
            messages.Add(Marshal.PtrToStringUTF8((IntPtr)buffer) ?? "");
        }
        return messages.Count == 0 ? "no OpenSSL error recorded" : string.Join("; ", messages);
    }
}
