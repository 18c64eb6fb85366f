using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Keys.Pkcs11;
using DeviceAgent.TestPeers;

namespace DeviceAgent.Keys.Tests.Tokens;

/// <summary>
/// One contract, run against every token backend and key type: keys are generated inside the
/// token, can never leave it, and sign what the public key verifies.
/// </summary>
[Collection(TokenPeers.Name)]
public sealed class KeyBackendContractTests(TokenSimulators tokens)
{
    public static TheoryData<TokenKind, KeyAlgorithm> BackendsAndAlgorithms()
    {
        var data = new TheoryData<TokenKind, KeyAlgorithm>();
        foreach (var kind in new[] { TokenKind.Tpm, TokenKind.SoftHsm })
        {
            foreach (var algorithm in Enum.GetValues<KeyAlgorithm>())
                data.Add(kind, algorithm);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(BackendsAndAlgorithms))]
    public void Generated_key_is_local_sensitive_and_never_extractable(TokenKind kind, KeyAlgorithm algorithm)
    {
        var key = NewKeyReference(kind);
        var backend = new Pkcs11KeyBackend();
        backend.CreateKey(key, algorithm);

        var custody = backend.ReadCustody(key);

        Assert.True(custody.ProvesNonExportable, string.Join("; ", custody.Problems));
        Assert.Equal(new KeyCustodyAttributes(true, true, false, true, true, true), custody);
    }

    [Theory]
    [MemberData(nameof(BackendsAndAlgorithms))]
    public void Token_signature_verifies_with_the_public_key(TokenKind kind, KeyAlgorithm algorithm)
    {
        var key = NewKeyReference(kind);
        var publicKey = new Pkcs11KeyBackend().CreateKey(key, algorithm);
        var hash = SHA256.HashData("registration-id: device-1"u8);

        var signature = Pkcs11KeyBackend.WithSession(key, false, (s, uri) => s.SignHash(s.FindSingle(uri), algorithm, hash));
        var tampered = (byte[])signature.Clone();
        tampered[^1] ^= 0x01;

        Assert.Equal(algorithm, publicKey.Algorithm);
        Assert.True(publicKey.VerifyHash(hash, signature));
        Assert.False(publicKey.VerifyHash(hash, tampered));
        Assert.False(publicKey.VerifyHash(SHA256.HashData("another message"u8), signature));
    }

    [Theory]
    [MemberData(nameof(BackendsAndAlgorithms))]
    public void Opened_private_key_signs_inside_the_token_and_never_exports(TokenKind kind, KeyAlgorithm algorithm)
    {
        var key = NewKeyReference(kind);
        var backend = new Pkcs11KeyBackend();
        var publicKey = backend.CreateKey(key, algorithm);

        using var privateKey = backend.OpenPrivateKey(key);
        var data = "certificate to be signed"u8.ToArray();
        var (signature, hash) = privateKey switch
        {
            ECDsa ec => (ec.SignData(data, HashAlgorithmName.SHA256), SHA256.HashData(data)),
            RSA rsa => (rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pss), SHA256.HashData(data)),
            _ => throw new InvalidOperationException(privateKey.GetType().Name),
        };

        Assert.Equal(publicKey.Sha256Fingerprint, DevicePublicKey.FromAlgorithm(privateKey).Sha256Fingerprint);
        Assert.True(publicKey.VerifyHash(hash, signature, RSASignaturePadding.Pss));
        var export = Assert.Throws<CryptographicException>(() => privateKey.ExportPkcs8PrivateKey());
        Assert.Contains("cannot be exported", export.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(KeyAlgorithm.EcP256)]
    [InlineData(KeyAlgorithm.Rsa2048)]
    public void Certificate_request_is_signed_by_the_token_key(KeyAlgorithm algorithm)
    {
        var key = NewKeyReference(TokenKind.SoftHsm);
        var backend = new Pkcs11KeyBackend();
        backend.CreateKey(key, algorithm);
        using var privateKey = backend.OpenPrivateKey(key);

        var request = privateKey is ECDsa ec
            ? new CertificateRequest("CN=device-1", ec, HashAlgorithmName.SHA256)
            : new CertificateRequest("CN=device-1", (RSA)privateKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var der = request.CreateSigningRequest();

        // LoadSigningRequest verifies the request's self-signature.
        var loaded = CertificateRequest.LoadSigningRequest(der, HashAlgorithmName.SHA256);
        Assert.Equal("CN=device-1", loaded.SubjectName.Name);
    }

    [Theory]
    [InlineData(TokenKind.Tpm)]
    [InlineData(TokenKind.SoftHsm)]
    public void Export_attempts_are_refused_by_the_token(TokenKind kind)
    {
        var key = NewKeyReference(kind);
        new Pkcs11KeyBackend().CreateKey(key, KeyAlgorithm.EcP256);

        Pkcs11KeyBackend.WithSession(key, readWrite: true, (session, uri) =>
        {
            var handle = session.FindSingle(uri);
            // Reading the private value. SoftHSM2 holds it and refuses: CKR_ATTRIBUTE_SENSITIVE
            // (PKCS#11 v2.40 section 5.7). tpm2-pkcs11 has no such value at all: the scalar exists
            // only inside the TPM, so the attribute does not exist: CKR_ATTRIBUTE_TYPE_INVALID.
            var rv = session.TryGetAttribute(handle, 0x11 /* CKA_VALUE */, out var length);
            var expected = kind == TokenKind.SoftHsm ? "CKR_ATTRIBUTE_SENSITIVE" : "CKR_ATTRIBUTE_TYPE_INVALID";
            Assert.Equal(expected, DeviceAgent.Keys.Pkcs11.Native.CKR.Name(rv));
            Assert.Equal(nuint.MaxValue, length); // CK_UNAVAILABLE_INFORMATION: nothing revealed
            // Making it extractable after the fact. PKCS#11 v2.40 (Table 25, footnote 11) lets
            // CKA_EXTRACTABLE change only from CK_TRUE to CK_FALSE. SoftHSM2 refuses; tpm2-pkcs11
            // 1.9.0 accepts and stores it (the TPM object stays fixedTPM|fixedParent, so the key
            // still cannot leave), and our custody inspection must then stop vouching for the key.
            var set = session.TrySetBoolean(handle, 0x162 /* CKA_EXTRACTABLE */, true);
            var custody = session.ReadCustodyAttributes(handle);
            if (kind == TokenKind.SoftHsm)
            {
                Assert.Equal("CKR_ATTRIBUTE_READ_ONLY", DeviceAgent.Keys.Pkcs11.Native.CKR.Name(set));
                Assert.True(custody.ProvesNonExportable);
            }
            else
            {
                Assert.Equal("CKR_OK", DeviceAgent.Keys.Pkcs11.Native.CKR.Name(set));
                Assert.True(custody.NeverExtractable);
                Assert.False(custody.ProvesNonExportable);
                Assert.Contains("CKA_EXTRACTABLE is not false: the key can be wrapped out of the token", custody.Problems);
            }
            return 0;
        });
    }

    [Theory]
    [InlineData(TokenKind.Tpm)]
    [InlineData(TokenKind.SoftHsm)]
    public void A_second_key_with_the_same_label_is_refused(TokenKind kind)
    {
        var key = NewKeyReference(kind);
        var backend = new Pkcs11KeyBackend();
        backend.CreateKey(key, KeyAlgorithm.EcP256);

        var e = Assert.Throws<KeyCustodyException>(() => backend.CreateKey(key, KeyAlgorithm.EcP256));

        Assert.Equal(KeyCustodyError.KeyAlreadyExists, e.Error);
        Assert.Contains("already holds a private key labelled", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TokenKind.Tpm)]
    [InlineData(TokenKind.SoftHsm)]
    public void The_token_is_listed_with_its_label(TokenKind kind)
    {
        var simulator = tokens.Get(kind);
        var module = Pkcs11Module.Load(simulator.ModulePath);

        var labels = module.GetSlots().Select(s => s.GetTokenInfo()).ToList();

        Assert.Contains(labels, t => t.Label == simulator.TokenLabel && t.Initialized && t.UserPinInitialized && t.LoginRequired);
        Assert.Equal("2.40", module.Info.CryptokiVersion);
    }

    [Theory]
    [InlineData(TokenKind.Tpm)]
    [InlineData(TokenKind.SoftHsm)]
    public void Destroying_a_key_removes_both_halves_and_leaves_the_other_keys(TokenKind kind)
    {
        var backend = new Pkcs11KeyBackend();
        var (retired, kept) = (NewKeyReference(kind), NewKeyReference(kind));
        backend.CreateKey(retired, KeyAlgorithm.EcP256);
        var keptKey = backend.CreateKey(kept, KeyAlgorithm.EcP256);

        var destroyed = backend.DestroyKey(retired);
        var again = backend.DestroyKey(retired);

        Assert.True(destroyed);
        Assert.False(again);
        Assert.Equal(KeyCustodyError.KeyNotFound, Assert.Throws<KeyCustodyException>(() => backend.GetPublicKey(retired)).Error);
        var uri = retired.Pkcs11!.WithoutType().WithoutQuery();
        Assert.Empty(Pkcs11KeyBackend.WithSession(retired, false, (session, _) => session.FindObjects(uri)));
        Assert.Equal(keptKey.Sha256Fingerprint, backend.GetPublicKey(kept).Sha256Fingerprint);
    }

    private KeyReference NewKeyReference(TokenKind kind)
    {
        var simulator = tokens.Get(kind);
        var label = $"test-{Guid.NewGuid():N}"[..20];
        return KeyReference.Parse(Pkcs11Uri.ForPrivateKey(simulator.TokenLabel, label).ToString(),
            simulator.ModulePath, PinSource.FromFile(simulator.PinFile));
    }
}
