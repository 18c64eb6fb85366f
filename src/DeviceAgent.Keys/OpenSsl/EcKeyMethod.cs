using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DeviceAgent.Keys.OpenSsl;

/// <summary>
/// The process-wide EC_KEY_METHOD of bridged EC keys: OpenSSL's default method with
/// <c>sign_sig</c> replaced by a call into the key's <see cref="CallbackKeyTarget"/>, and
/// <c>finish</c>/<c>copy</c> replaced to tie the target's lifetime to the EC_KEY. The default
/// <c>sign</c> (ossl_ecdsa_sign) stays: it calls <c>sign_sig</c> and DER-encodes the result, so
/// the whole ECDSA path (EVP_PKEY_sign, EVP_DigestSign, libssl's CertificateVerify) reaches the
/// backend exactly once per signature. Verification and everything public stay OpenSSL's.
/// </summary>
internal static unsafe class EcKeyMethod
{
    private static readonly Lazy<(IntPtr Method, int Index)> s_method = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);

    public static IntPtr Method => s_method.Value.Method;

    public static int Index => s_method.Value.Index;

    /// <summary>
    /// An EVP_PKEY holding an EC_KEY made from the public key, with this method set before the
    /// key is assigned (which is what makes OpenSSL 3 treat it as a foreign key and route signing
    /// through the method). The returned EVP_PKEY owns one reference to <paramref name="target"/>.
    /// </summary>
    public static IntPtr CreateKey(ReadOnlySpan<byte> subjectPublicKeyInfo, CallbackKeyTarget target) =>
        MethodKey.Create(new MethodKey.Functions
        {
            ParsePublicKey = &LibCrypto.d2i_EC_PUBKEY,
            SetMethod = &LibCrypto.EC_KEY_set_method,
            SetExData = &LibCrypto.EC_KEY_set_ex_data,
            Free = &LibCrypto.EC_KEY_free,
            EvpType = LibCrypto.EVP_PKEY_EC,
        }, Method, Index, subjectPublicKeyInfo, target);

    /// <summary>The target of an EVP_PKEY made by <see cref="CreateKey"/>, or null for any other key.</summary>
    public static CallbackKeyTarget? TargetOf(IntPtr pkey)
    {
        var ec = LibCrypto.EVP_PKEY_get0_EC_KEY(pkey);
        return ec != IntPtr.Zero && LibCrypto.EC_KEY_get_method(ec) == Method
            ? CallbackKeyTarget.FromHandle(LibCrypto.EC_KEY_get_ex_data(ec, Index))
            : null;
    }

    private static (IntPtr, int) Create()
    {
        LibCryptoInstance.EnsureSameAsRuntime();
        var index = LibCrypto.CRYPTO_get_ex_new_index(LibCrypto.CRYPTO_EX_INDEX_EC_KEY, default, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero);
        if (index < 0)
            throw OpenSslKeyMethodBridge.Failed("OpenSSL has no ex_data index left for EC keys");
        var defaults = LibCrypto.EC_KEY_OpenSSL();
        var method = LibCrypto.EC_KEY_METHOD_new(defaults);
        if (method == IntPtr.Zero)
            throw OpenSslKeyMethodBridge.Failed("EC_KEY_METHOD_new failed");

        IntPtr sign, signSetup, signSig;
        LibCrypto.EC_KEY_METHOD_get_sign(defaults, &sign, &signSetup, &signSig);
        LibCrypto.EC_KEY_METHOD_set_sign(method, sign, signSetup,
            (IntPtr)(delegate* unmanaged[Cdecl]<byte*, int, IntPtr, IntPtr, IntPtr, IntPtr>)&SignSig);

        IntPtr init, finish, copy, setGroup, setPrivate, setPublic;
        LibCrypto.EC_KEY_METHOD_get_init(defaults, &init, &finish, &copy, &setGroup, &setPrivate, &setPublic);
        // The default method has no finish or copy of its own (crypto/ec/ec_kmeth.c); ours replace nothing.
        if (finish != IntPtr.Zero || copy != IntPtr.Zero)
            throw OpenSslKeyMethodBridge.Failed("this OpenSSL's default EC key method has finish/copy callbacks the bridge would hide");
        LibCrypto.EC_KEY_METHOD_set_init(method, init,
            (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, void>)&Finish,
            (IntPtr)(delegate* unmanaged[Cdecl]<IntPtr, IntPtr, int>)&Copy,
            setGroup, setPrivate, setPublic);
        return (method, index);
    }

    // ECDSA_SIG *(*sign_sig)(const unsigned char *dgst, int dgst_len, const BIGNUM *in_kinv,
    //                        const BIGNUM *in_r, EC_KEY *eckey); NULL on failure.
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static IntPtr SignSig(byte* digest, int digestLength, IntPtr kinv, IntPtr r, IntPtr ec)
    {
        try
        {
            if (CallbackKeyTarget.FromHandle(LibCrypto.EC_KEY_get_ex_data(ec, Index)) is not { } target)
                return IntPtr.Zero;
            var signature = target.SignHash(new ReadOnlySpan<byte>(digest, digestLength).ToArray(), default, null);
            return signature is null ? IntPtr.Zero : ToEcdsaSig(signature);
        }
        catch (Exception)
        {
            return IntPtr.Zero; // nothing may unwind into OpenSSL; SignHash already recorded why
        }
    }

    // IEEE P1363 r||s (what .NET's ECDsa.SignHash returns) to an ECDSA_SIG.
    private static IntPtr ToEcdsaSig(byte[] signature)
    {
        var half = signature.Length / 2;
        IntPtr r, s;
        fixed (byte* p = signature)
        {
            r = LibCrypto.BN_bin2bn(p, half, IntPtr.Zero);
            s = LibCrypto.BN_bin2bn(p + half, half, IntPtr.Zero);
        }
        var sig = LibCrypto.ECDSA_SIG_new();
        if (r == IntPtr.Zero || s == IntPtr.Zero || sig == IntPtr.Zero || LibCrypto.ECDSA_SIG_set0(sig, r, s) != 1)
        {
            LibCrypto.BN_free(r);
            LibCrypto.BN_free(s);
            LibCrypto.ECDSA_SIG_free(sig);
            return IntPtr.Zero;
        }
        return sig;
    }

    // void (*finish)(EC_KEY *key): EC_KEY_free of the last reference, or a method change.
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void Finish(IntPtr ec)
    {
        try
        {
            var handle = LibCrypto.EC_KEY_get_ex_data(ec, Index);
            if (handle != IntPtr.Zero)
            {
                _ = LibCrypto.EC_KEY_set_ex_data(ec, Index, IntPtr.Zero);
                CallbackKeyTarget.Release(handle);
            }
        }
        catch (Exception)
        {
            // A backend whose Dispose throws must not take OpenSSL down; the key is gone either way.
        }
    }

    // int (*copy)(EC_KEY *dest, const EC_KEY *src): EC_KEY_copy already copied the ex_data pointer.
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Copy(IntPtr destination, IntPtr source)
    {
        try
        {
            CallbackKeyTarget.FromHandle(LibCrypto.EC_KEY_get_ex_data(destination, Index))?.AddReference();
            return 1;
        }
        catch (Exception)
        {
            return 0;
        }
    }
}
