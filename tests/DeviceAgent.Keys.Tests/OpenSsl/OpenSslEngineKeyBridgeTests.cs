using System.Security.Cryptography;
using DeviceAgent.Keys.OpenSsl;
using DeviceAgent.Keys.Pkcs11;
using DeviceAgent.Keys.Tests.Tokens;
using DeviceAgent.TestPeers;

namespace DeviceAgent.Keys.Tests.OpenSsl;

/// <summary>
/// The engine bridge in this process is bound to the TPM's module (OpenSSL 3.0 allows one engine
/// instance per process); TLS with SoftHSM2 keys is proven in child processes (doctor tests).
/// </summary>
[Collection(TokenPeers.Name)]
public sealed class OpenSslEngineKeyBridgeTests(TokenSimulators tokens)
{
    [Theory]
    [InlineData(KeyAlgorithm.EcP256)]
    [InlineData(KeyAlgorithm.EcP384)]
    [InlineData(KeyAlgorithm.Rsa2048)]
    [InlineData(KeyAlgorithm.Rsa3072)]
    public void Tls_key_is_an_OpenSSL_key_backed_by_the_token(KeyAlgorithm algorithm)
    {
        var key = NewKey(tokens.Tpm);
        var backend = new Pkcs11KeyBackend(OpenSslEngineKeyBridge.Shared);
        var publicKey = backend.CreateKey(key, algorithm);

        using var tlsKey = backend.OpenForTls(key);
        var hash = SHA256.HashData("TLS 1.3, server CertificateVerify"u8);
        var signature = tlsKey switch
        {
            ECDsaOpenSsl ec => ec.SignHash(hash),
            RSAOpenSsl rsa => rsa.SignHash(hash, HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
            _ => throw new InvalidOperationException($"{tlsKey.GetType().Name} is not an OpenSSL key"),
        };

        Assert.Equal(publicKey.Sha256Fingerprint, DevicePublicKey.FromAlgorithm(tlsKey).Sha256Fingerprint);
        Assert.True(publicKey.VerifyHash(hash, signature, RSASignaturePadding.Pss));
    }

    [Fact]
    public void A_second_module_is_refused_with_the_reason()
    {
        var backend = new Pkcs11KeyBackend(OpenSslEngineKeyBridge.Shared);
        var tpmKey = NewKey(tokens.Tpm);
        backend.CreateKey(tpmKey, KeyAlgorithm.EcP256);
        using (backend.OpenForTls(tpmKey)) { }
        var hsmKey = NewKey(tokens.SoftHsm);
        backend.CreateKey(hsmKey, KeyAlgorithm.EcP256);

        var e = Assert.Throws<KeyCustodyException>(() => backend.OpenForTls(hsmKey));

        Assert.Equal(KeyCustodyError.OpenSslBridgeFailed, e.Error);
        Assert.Contains("already bound OpenSSL's PKCS#11 engine to module", e.Message, StringComparison.Ordinal);
        Assert.Contains("need their own process", e.Message, StringComparison.Ordinal);
    }

    private static KeyReference NewKey(TokenSimulator simulator) =>
        KeyReference.Parse(Pkcs11Uri.ForPrivateKey(simulator.TokenLabel, $"tls-{Guid.NewGuid():N}"[..20]).ToString(),
            simulator.ModulePath, PinSource.FromFile(simulator.PinFile));
}
