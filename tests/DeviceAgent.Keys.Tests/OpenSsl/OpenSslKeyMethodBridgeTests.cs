using System.Diagnostics;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Keys.OpenSsl;
using DeviceAgent.TestPeers;

namespace DeviceAgent.Keys.Tests.OpenSsl;

/// <summary>
/// The key-method bridge on its own: signatures through OpenSSL reach the backend exactly once,
/// failures and hangs come back as failed signs with their reason, and the backend lives as long
/// as OpenSSL holds the key.
/// </summary>
public sealed class OpenSslKeyMethodBridgeTests
{
    private static readonly byte[] s_digest = SHA256.HashData("TLS 1.3, client CertificateVerify"u8);

    [Theory]
    [InlineData(KeyAlgorithm.EcP256)]
    [InlineData(KeyAlgorithm.EcP384)]
    public void EC_signature_through_OpenSSL_is_one_backend_signature(KeyAlgorithm algorithm)
    {
        var backend = ECDsa.Create(algorithm == KeyAlgorithm.EcP256 ? ECCurve.NamedCurves.nistP256 : ECCurve.NamedCurves.nistP384);
        var publicKey = DevicePublicKey.FromAlgorithm(backend);
        using var key = OpenSslKeyMethodBridge.Open(backend, publicKey, "test key");

        var signature = Assert.IsType<ECDsaOpenSsl>(key).SignHash(s_digest);

        Assert.True(publicKey.VerifyHash(s_digest, signature));
        Assert.Equal(publicKey.Sha256Fingerprint, DevicePublicKey.FromAlgorithm(key).Sha256Fingerprint);
        Assert.Equal(new PrivateKeyOperations(1, 0, null), OpenSslKeyMethodBridge.OperationsOf(key));
    }

    [Theory]
    [InlineData("PSS")]
    [InlineData("PKCS1")]
    public void RSA_signature_through_OpenSSL_is_one_backend_operation(string paddingName)
    {
        var padding = paddingName == "PSS" ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
        var backend = new RawRsaBackendKey();
        var publicKey = DevicePublicKey.FromAlgorithm(backend);
        using var key = OpenSslKeyMethodBridge.Open(backend, publicKey, "test key");

        var signature = Assert.IsType<RSAOpenSsl>(key).SignHash(s_digest, HashAlgorithmName.SHA256, padding);

        Assert.True(publicKey.VerifyHash(s_digest, signature, padding));
        Assert.Equal(1, OpenSslKeyMethodBridge.OperationsOf(key)!.Succeeded);
        Assert.Equal(paddingName == "PSS" ? (0, 1) : (1, 0), (backend.DigestSignatures, backend.RawOperations));
    }

    [Fact]
    public void RSA_PSS_with_a_backend_that_only_signs_digests_fails_with_the_reason()
    {
        var backend = RSA.Create(2048);
        using var key = OpenSslKeyMethodBridge.Open(backend, DevicePublicKey.FromAlgorithm(backend), "tpm:handle=0x81000102");

        Assert.ThrowsAny<CryptographicException>(() => ((RSA)key).SignHash(s_digest, HashAlgorithmName.SHA256, RSASignaturePadding.Pss));

        var failure = OpenSslKeyMethodBridge.OperationsOf(key)!.LastFailure!;
        Assert.Equal(KeyCustodyError.UnsupportedKey, failure.Error);
        Assert.Contains("tpm:handle=0x81000102 cannot sign RSA-PSS through OpenSSL", failure.Message, StringComparison.Ordinal);
        Assert.Contains("TLS 1.3 needs RSA-PSS", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_that_is_not_bridged_has_no_operations()
    {
        using var plain = ECDsa.Create();
        Assert.Null(OpenSslKeyMethodBridge.OperationsOf(plain));
    }

    [Fact]
    public void A_throwing_backend_is_a_failed_sign_with_its_reason()
    {
        using var backend = new ScriptedBackendKey(BackendBehaviour.Throw);
        using var key = OpenSslKeyMethodBridge.Open(backend, backend.PublicKey, "pkcs11:token=t;object=k");

        Assert.ThrowsAny<CryptographicException>(() => ((ECDsa)key).SignHash(s_digest));

        var operations = OpenSslKeyMethodBridge.OperationsOf(key)!;
        Assert.Equal((0, 1), (operations.Succeeded, operations.Failed));
        Assert.Equal("the private key pkcs11:token=t;object=k failed to sign the TLS handshake: CKR_DEVICE_REMOVED from the scripted token",
            operations.LastFailure!.Message);
    }

    [Fact]
    public void A_hanging_backend_is_a_failed_sign_after_the_timeout()
    {
        using var backend = new ScriptedBackendKey(BackendBehaviour.Hang);
        using var key = OpenSslKeyMethodBridge.Open(backend, backend.PublicKey, "tpm:handle=0x81000101", TimeSpan.FromSeconds(1));
        var watch = Stopwatch.StartNew();

        Assert.ThrowsAny<CryptographicException>(() => ((ECDsa)key).SignHash(s_digest));

        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(20));
        Assert.Contains("did not answer within 1 s", OpenSslKeyMethodBridge.OperationsOf(key)!.LastFailure!.Message, StringComparison.Ordinal);
        backend.Release.Set();
    }

    [Fact]
    public void The_backend_lives_until_OpenSSL_frees_the_last_reference()
    {
        var backend = new ScriptedBackendKey();
        var key = OpenSslKeyMethodBridge.Open(backend, backend.PublicKey, "test key");
        using var chain = TestChain.Create("Bridge Lifetime");
        using var leaf = chain.IssueLeaf(backend.PublicKey.SubjectPublicKeyInfo.Span, "device-1");
        var withKey = leaf.CopyWithPrivateKey((ECDsa)key);

        key.Dispose();
        Assert.False(backend.Disposed); // the certificate still holds the EVP_PKEY
        using (var again = withKey.GetECDsaPrivateKey()!)
            Assert.True(again.VerifyHash(s_digest, again.SignHash(s_digest)));
        Assert.Equal(1, backend.Signatures);

        withKey.Dispose();
        Assert.True(backend.Disposed);
    }

    [Fact]
    public void A_public_key_of_another_type_is_refused()
    {
        using var backend = ECDsa.Create();
        using var rsa = RSA.Create(2048);

        var e = Assert.Throws<KeyCustodyException>(() => OpenSslKeyMethodBridge.Open(backend, DevicePublicKey.FromAlgorithm(rsa), "k"));

        Assert.Equal(KeyCustodyError.UnsupportedKey, e.Error);
    }

    [Fact]
    public async Task A_hanging_backend_fails_the_handshake_within_the_bound()
    {
        using var backend = new ScriptedBackendKey(BackendBehaviour.Hang);
        using var key = OpenSslKeyMethodBridge.Open(backend, backend.PublicKey, "pkcs11:token=gone;object=device", TimeSpan.FromSeconds(2));
        using var chain = TestChain.Create("Bridge Hang");
        using var leaf = chain.IssueLeaf(backend.PublicKey.SubjectPublicKeyInfo.Span, "device-1");
        await using var server = await OpenSslServer.StartAsync(chain.Root);
        var watch = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<AuthenticationException>(() => SServerClient.HandshakeAsync(server, leaf, key, chain.Intermediate));

        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(30));
        var failure = OpenSslKeyMethodBridge.OperationsOf(key)!.LastFailure!;
        Assert.Contains("pkcs11:token=gone;object=device did not answer within 2 s", failure.Message, StringComparison.Ordinal);
        backend.Release.Set();
    }
}
