using System.Runtime.InteropServices;

namespace DeviceAgent.Keys.OpenSsl;

/// <summary>
/// The libcrypto (OpenSSL 3) functions that build a key whose private operation calls back into
/// managed code: EC_KEY_METHOD and RSA_METHOD with their accessor functions (no struct layout is
/// assumed anywhere; every function pointer is set and read through OpenSSL's own setters and
/// getters, so the same code runs on linux-x64 and linux-arm64). These are the "deprecated in 3.0"
/// low-level APIs; OpenSSL 3 still routes a key that carries such a method through them
/// (a "foreign" key, crypto/evp/p_lib.c detect_foreign_key).
/// </summary>
internal static unsafe partial class LibCrypto
{
    // include/openssl/crypto.h: the ex_data classes.
    internal const int CRYPTO_EX_INDEX_EC_KEY = 8;
    internal const int CRYPTO_EX_INDEX_RSA = 9;

    // include/openssl/rsa.h: paddings handed to RSA_METHOD.rsa_priv_enc.
    internal const int RSA_PKCS1_PADDING = 1;
    internal const int RSA_NO_PADDING = 3;

    [LibraryImport(Library)]
    internal static partial int CRYPTO_get_ex_new_index(int classIndex, CLong argl, IntPtr argp, IntPtr newFunc, IntPtr dupFunc, IntPtr freeFunc);

    [LibraryImport(Library)]
    internal static partial IntPtr OBJ_nid2sn(int nid);

    [LibraryImport(Library)]
    internal static partial CULong OpenSSL_version_num();

    [LibraryImport(Library)]
    internal static partial IntPtr EVP_PKEY_new();

    [LibraryImport(Library)]
    internal static partial int EVP_PKEY_assign(IntPtr pkey, int type, IntPtr key);

    [LibraryImport(Library)]
    internal static partial void EVP_PKEY_free(IntPtr pkey);

    [LibraryImport(Library)]
    internal static partial IntPtr EVP_PKEY_get0_EC_KEY(IntPtr pkey);

    [LibraryImport(Library)]
    internal static partial IntPtr EVP_PKEY_get0_RSA(IntPtr pkey);

    [LibraryImport(Library)]
    internal static partial IntPtr BN_bin2bn(byte* s, int len, IntPtr ret);

    [LibraryImport(Library)]
    internal static partial void BN_free(IntPtr bn);

    [LibraryImport(Library)]
    internal static partial IntPtr ECDSA_SIG_new();

    [LibraryImport(Library)]
    internal static partial int ECDSA_SIG_set0(IntPtr sig, IntPtr r, IntPtr s);

    [LibraryImport(Library)]
    internal static partial void ECDSA_SIG_free(IntPtr sig);

    // EC keys
    [LibraryImport(Library)]
    internal static partial IntPtr d2i_EC_PUBKEY(IntPtr a, byte** pp, CLong length);

    [LibraryImport(Library)]
    internal static partial void EC_KEY_free(IntPtr key);

    [LibraryImport(Library)]
    internal static partial int EC_KEY_set_method(IntPtr key, IntPtr method);

    [LibraryImport(Library)]
    internal static partial IntPtr EC_KEY_get_method(IntPtr key);

    [LibraryImport(Library)]
    internal static partial int EC_KEY_set_ex_data(IntPtr key, int index, IntPtr data);

    [LibraryImport(Library)]
    internal static partial IntPtr EC_KEY_get_ex_data(IntPtr key, int index);

    [LibraryImport(Library)]
    internal static partial IntPtr EC_KEY_OpenSSL();

    [LibraryImport(Library)]
    internal static partial IntPtr EC_KEY_METHOD_new(IntPtr template);

    [LibraryImport(Library)]
    internal static partial void EC_KEY_METHOD_get_sign(IntPtr method, IntPtr* sign, IntPtr* signSetup, IntPtr* signSig);

    [LibraryImport(Library)]
    internal static partial void EC_KEY_METHOD_set_sign(IntPtr method, IntPtr sign, IntPtr signSetup, IntPtr signSig);

    [LibraryImport(Library)]
    internal static partial void EC_KEY_METHOD_get_init(IntPtr method, IntPtr* init, IntPtr* finish, IntPtr* copy,
        IntPtr* setGroup, IntPtr* setPrivate, IntPtr* setPublic);

    [LibraryImport(Library)]
    internal static partial void EC_KEY_METHOD_set_init(IntPtr method, IntPtr init, IntPtr finish, IntPtr copy,
        IntPtr setGroup, IntPtr setPrivate, IntPtr setPublic);

    // RSA keys
    [LibraryImport(Library)]
    internal static partial IntPtr d2i_RSA_PUBKEY(IntPtr a, byte** pp, CLong length);

    [LibraryImport(Library)]
    internal static partial void RSA_free(IntPtr rsa);

    [LibraryImport(Library)]
    internal static partial int RSA_set_method(IntPtr rsa, IntPtr method);

    [LibraryImport(Library)]
    internal static partial IntPtr RSA_get_method(IntPtr rsa);

    [LibraryImport(Library)]
    internal static partial int RSA_set_ex_data(IntPtr rsa, int index, IntPtr data);

    [LibraryImport(Library)]
    internal static partial IntPtr RSA_get_ex_data(IntPtr rsa, int index);

    [LibraryImport(Library)]
    internal static partial int RSA_size(IntPtr rsa);

    [LibraryImport(Library)]
    internal static partial IntPtr RSA_PKCS1_OpenSSL();

    [LibraryImport(Library)]
    internal static partial IntPtr RSA_meth_dup(IntPtr method);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int RSA_meth_set1_name(IntPtr method, string name);

    [LibraryImport(Library)]
    internal static partial int RSA_meth_set_sign(IntPtr method, IntPtr sign);

    [LibraryImport(Library)]
    internal static partial int RSA_meth_set_priv_enc(IntPtr method, IntPtr privEnc);

    [LibraryImport(Library)]
    internal static partial int RSA_meth_set_finish(IntPtr method, IntPtr finish);

    [LibraryImport(Library)]
    internal static partial IntPtr RSA_meth_get_finish(IntPtr method);
}
