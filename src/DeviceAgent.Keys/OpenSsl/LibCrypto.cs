namespace DeviceAgent.Keys.OpenSsl;

/// <summary>
/// libcrypto (OpenSSL 3) as the key-method bridge binds it. The runtime's own cryptography
/// already loaded libcrypto.so.3, so these bind to the same library instance (and the same
/// EVP_PKEY objects) that <c>SslStream</c> uses; <see cref="LibCryptoInstance"/> checks that.
/// </summary>
internal static partial class LibCrypto
{
    internal const string Library = "libcrypto.so.3";

    // include/openssl/obj_mac.h: NID_rsaEncryption, NID_X9_62_id_ecPublicKey (EVP_PKEY_RSA/EVP_PKEY_EC).
    internal const int EVP_PKEY_RSA = 6;
    internal const int EVP_PKEY_EC = 408;
}
