using System.Runtime.InteropServices;

namespace DeviceAgent.Keys.OpenSsl;

/// <summary>
/// How an EVP_PKEY of a bridged key is made, whatever its type: parse the public key into a
/// legacy key object (EC_KEY or RSA), set the key method, attach the callback target (ex_data),
/// and only then assign the object to a new EVP_PKEY, so OpenSSL 3 treats it as a foreign key and
/// routes every private-key operation through the method.
/// </summary>
internal static unsafe class MethodKey
{
    /// <summary>The type-specific libcrypto functions.</summary>
    internal readonly struct Functions
    {
        public required delegate*<IntPtr, byte**, CLong, IntPtr> ParsePublicKey { get; init; }
        public required delegate*<IntPtr, IntPtr, int> SetMethod { get; init; }
        public required delegate*<IntPtr, int, IntPtr, int> SetExData { get; init; }
        public required delegate*<IntPtr, void> Free { get; init; }
        public required int EvpType { get; init; }
    }

    /// <summary>The new EVP_PKEY; it owns one reference to <paramref name="target"/>.</summary>
    /// <exception cref="KeyCustodyException"><see cref="KeyCustodyError.OpenSslBridgeFailed"/> at the step OpenSSL refused.</exception>
    public static IntPtr Create(in Functions functions, IntPtr method, int index, ReadOnlySpan<byte> subjectPublicKeyInfo, CallbackKeyTarget target)
    {
        IntPtr key;
        fixed (byte* spki = subjectPublicKeyInfo)
        {
            var cursor = spki;
            key = functions.ParsePublicKey(IntPtr.Zero, &cursor, new CLong(subjectPublicKeyInfo.Length));
        }
        if (key == IntPtr.Zero)
            throw OpenSslKeyMethodBridge.Failed($"OpenSSL could not read the public key of {target.Description}");
        if (functions.SetMethod(key, method) != 1)
        {
            functions.Free(key);
            throw OpenSslKeyMethodBridge.Failed($"OpenSSL refused the key method for {target.Description}");
        }
        var handle = target.ToHandle();
        if (functions.SetExData(key, index, handle) != 1)
        {
            CallbackKeyTarget.Release(handle);
            functions.Free(key);
            throw OpenSslKeyMethodBridge.Failed($"OpenSSL could not attach the callback to {target.Description}");
        }
        var pkey = LibCrypto.EVP_PKEY_new();
        if (pkey == IntPtr.Zero || LibCrypto.EVP_PKEY_assign(pkey, functions.EvpType, key) != 1)
        {
            LibCrypto.EVP_PKEY_free(pkey);
            functions.Free(key); // the method's finish releases the target
            throw OpenSslKeyMethodBridge.Failed($"OpenSSL could not make an EVP_PKEY of {target.Description}");
        }
        return pkey;
    }
}
