using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace DeviceAgent.Keys.OpenSsl;

/// <summary>
/// The process-wide RSA_METHOD of bridged RSA keys: OpenSSL's default with <c>rsa_sign</c>,
/// <c>rsa_priv_enc</c> and <c>finish</c> replaced. OpenSSL pads before it reaches an RSA_METHOD, so:
/// <list type="bullet">
/// <item>PKCS#1 v1.5 signatures (TLS 1.2 <c>rsa_pkcs1_*</c>, certificates) reach <c>rsa_sign</c>
/// with the digest and its NID: the backend signs with <see cref="RSASignaturePadding.Pkcs1"/>.</item>
/// <item>RSA-PSS (every TLS 1.3 CertificateVerify with an RSA key, RFC 8446 4.2.3; TLS 1.2
/// <c>rsa_pss_rsae_*</c>, which OpenSSL peers prefer) never reaches <c>rsa_sign</c>: OpenSSL
/// encodes the PSS block itself (random salt and all) and asks <c>rsa_priv_enc</c> for the raw
/// RSA operation with RSA_NO_PADDING. The digest is gone by then, so a backend that only signs
/// digests cannot serve it. A backend that also implements <see cref="IRsaPrivatePrimitive"/>
/// (<see cref="Pkcs11.Pkcs11Rsa"/>: one C_Sign with CKM_RSA_X_509, where the token offers it,
/// as SoftHSM2 does) performs it on the already-padded block: still one private-key operation.
/// Any other backend's PSS request fails with a reason saying so, which means RSA keys without
/// the primitive are limited to TLS 1.2 servers that accept rsa_pkcs1 signatures.</item>
/// </list>
/// (A process-wide RSA EVP_PKEY_METHOD override would see the digest, but registering one
/// (EVP_PKEY_meth_add0) sends every RSA operation of the process through the legacy code path,
/// which broke tpm2-tss's own RSA session salting in tests; it is deliberately not used.)
/// </summary>
internal static unsafe class RsaKeyMethod
{
    private static readonly Lazy<(IntPtr Method, int Index)> s_method = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);

    public static IntPtr Method => s_method.Value.Method;

    public static int Index => s_method.Value.Index;

    /// <summary>As <see cref="EcKeyMethod.CreateKey"/>, for RSA.</summary>
    public static IntPtr CreateKey(ReadOnlySpan<byte> subjectPublicKeyInfo, CallbackKeyTarget target) =>
        MethodKey.Create(new MethodKey.Functions
        {
            ParsePublicKey = &LibCrypto.d2i_RSA_PUBKEY,
            SetMethod = &LibCrypto.RSA_set_method,
            SetExData = &LibCrypto.RSA_set_ex_data,
            Free = &LibCrypto.RSA_free,
            EvpType = LibCrypto.EVP_PKEY_RSA,
        }, Method, Index, subjectPublicKeyInfo, target);

    /// <summary>The target of an EVP_PKEY made by <see cref="CreateKey"/>, or null for any other key.</summary>
    public static CallbackKeyTarget? TargetOf(IntPtr pkey)
    {
        var rsa = LibCrypto.EVP_PKEY_get0_RSA(pkey);
        return TargetOfRsa(rsa);
    }

    private static CallbackKeyTarget? TargetOfRsa(IntPtr rsa) =>
        rsa != IntPtr.Zero && LibCrypto.RSA_get_method(rsa) == Method
            ? CallbackKeyTarget.FromHandle(LibCrypto.RSA_get_ex_data(rsa, Index))
            : null;

    private static (IntPtr, int) Create()
    {
        LibCryptoInstance.EnsureSameAsRuntime();
        var index = LibCrypto.CRYPTO_get_ex_new_index(LibCrypto.CRYPTO_EX_INDEX_RSA, default, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero);
        if (index < 0)
            throw OpenSslKeyMethodBridge.Failed("OpenSSL has no ex_data index left for RSA keys");
        var method = LibCrypto.RSA_meth_dup(LibCrypto.RSA_PKCS1_OpenSSL());
        s_openSslFinish = method == IntPtr.Zero ? IntPtr.Zero : LibCrypto.RSA_meth_get_finish(method);
        if (method == IntPtr.Zero ||
            LibCrypto.RSA_meth_set1_name(method, "DeviceAgent key-method bridge") != 1 ||
            LibCrypto.RSA_meth_set_sign(method, (IntPtr)(delegate* unmanaged[Cdecl]<int, byte*, uint, byte*, uint*, IntPtr, int>)&Sign) != 1 ||
            LibCrypto.RSA_meth_set_priv_enc(method, (IntPtr)(delegate* unmanaged[Cdecl]<int, byte*, byte*, IntPtr, int, int>)&PrivateEncrypt) != 1 ||
            LibCrypto.RSA_meth_set_finish(method, (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, int>)&Finish) != 1)
        {
            throw OpenSslKeyMethodBridge.Failed("OpenSSL could not build the RSA key method");
        }

        return (method, index);
    }

    private static IntPtr s_openSslFinish;

    // int (*sign)(int type, const unsigned char *m, unsigned int m_length, unsigned char *sigret,
    //             unsigned int *siglen, const RSA *rsa): RSA_sign, PKCS#1 v1.5.
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Sign(int type, byte* digest, uint digestLength, byte* signature, uint* signatureLength, IntPtr rsa)
    {
        try
        {
            if (TargetOfRsa(rsa) is not { } target)
                return 0;
            var result = target.SignHash(new ReadOnlySpan<byte>(digest, (int)digestLength).ToArray(), HashName(type), RSASignaturePadding.Pkcs1);
            if (result is null || result.Length > LibCrypto.RSA_size(rsa))
                return 0;
            result.CopyTo(new Span<byte>(signature, result.Length));
            *signatureLength = (uint)result.Length;
            return 1;
        }
        catch (Exception)
        {
            return 0;
        }
    }

    // int (*priv_enc)(int flen, const unsigned char *from, unsigned char *to, RSA *rsa, int padding):
    // the bytes written to `to` (RSA_size), or -1.
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int PrivateEncrypt(int length, byte* from, byte* to, IntPtr rsa, int padding)
    {
        try
        {
            if (TargetOfRsa(rsa) is not { } target)
                return -1;
            var size = LibCrypto.RSA_size(rsa);
            if (padding != LibCrypto.RSA_NO_PADDING || length != size)
            {
                target.Fail(OpenSslKeyMethodBridge.Failed(
                    $"OpenSSL asked {target.Description} for a raw RSA operation with padding {padding} on {length} bytes; " +
                    "only PKCS#1 v1.5 digests and already-padded blocks (RSA-PSS) are bridged"));
                return -1;
            }
            var result = target.PrivateOperation(new ReadOnlySpan<byte>(from, length).ToArray());
            if (result is null || result.Length > size)
                return -1;
            // Left-pad to the modulus size (a token may drop leading zero bytes).
            var output = new Span<byte>(to, size);
            output[..(size - result.Length)].Clear();
            result.CopyTo(output[(size - result.Length)..]);
            return size;
        }
        catch (Exception)
        {
            return -1; // nothing may unwind into OpenSSL
        }
    }

    // int (*finish)(RSA *rsa)
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Finish(IntPtr rsa)
    {
        try
        {
            var handle = LibCrypto.RSA_get_ex_data(rsa, Index);
            if (handle != IntPtr.Zero)
            {
                _ = LibCrypto.RSA_set_ex_data(rsa, Index, IntPtr.Zero);
                CallbackKeyTarget.Release(handle);
            }
        }
        catch (Exception)
        {
            // the key is gone either way
        }
        // OpenSSL's own finish frees its cached Montgomery contexts.
        return s_openSslFinish == IntPtr.Zero ? 1 : ((delegate* unmanaged[Cdecl]<IntPtr, int>)s_openSslFinish)(rsa);
    }

    // OpenSSL's short names for the digest NIDs ("SHA256") are .NET's hash names.
    private static HashAlgorithmName HashName(int nid) =>
        new(System.Runtime.InteropServices.Marshal.PtrToStringUTF8(LibCrypto.OBJ_nid2sn(nid)) ?? $"NID {nid}");
}
