using System.Security.Authentication;
using DeviceAgent.Keys.OpenSsl;
using DeviceAgent.Keys.Pkcs11;
using DeviceAgent.Keys.Software;
using DeviceAgent.Keys.Tests.Tokens;
using DeviceAgent.TestPeers;

namespace DeviceAgent.Keys.Tests.OpenSsl;

/// <summary>
/// fvt: TLS keys of every backend through the key-method bridge, against openssl s_server
/// (-Verify -verify_return_error, trusting only the root): the server sees leaf + intermediate,
/// and each handshake is exactly one private-key operation. Both PKCS#11 modules (tpm2-pkcs11 and
/// SoftHSM2) serve TLS keys in this one process.
/// </summary>
[Collection(TokenPeers.Name)]
public sealed class BridgedTlsKeyTests(TokenSimulators tokens) : IDisposable
{
    private readonly TestChain _chain = TestChain.Create("Bridge Proof");
    private readonly string _directory = Directory.CreateTempSubdirectory("deviceagent-bridge.").FullName;

    [Theory]
    [InlineData("tpm", KeyAlgorithm.EcP256)]
    [InlineData("softhsm", KeyAlgorithm.EcP256)]
    [InlineData("softhsm", KeyAlgorithm.EcP384)]
    [InlineData("file", KeyAlgorithm.EcP256)]
    public async Task Server_trusting_only_the_root_sees_the_full_chain_and_one_signature(string backendName, KeyAlgorithm algorithm)
    {
        var (backend, key) = NewKey(backendName);
        var publicKey = ((IKeyGenerator)backend).CreateKey(key, algorithm);
        using var tlsKey = ((ITlsKeySource)backend).OpenForTls(key);
        using var leaf = _chain.IssueLeaf(publicKey.SubjectPublicKeyInfo.Span, "bridge-device");
        await using var server = await OpenSslServer.StartAsync(_chain.Root);

        var page = await SServerClient.HandshakeAsync(server, leaf, tlsKey, _chain.Intermediate);

        Assert.Contains("TLSv1.3", page, StringComparison.Ordinal);
        AssertFullChainVerified(server.Output);
        Assert.Equal(new PrivateKeyOperations(1, 0, null), OpenSslKeyMethodBridge.OperationsOf(tlsKey));
    }

    [Fact]
    public async Task Two_pkcs11_modules_serve_tls_keys_in_one_process()
    {
        var (tpmBackend, tpmKey) = NewKey("tpm");
        var (hsmBackend, hsmKey) = NewKey("softhsm");
        var tpmPublic = ((IKeyGenerator)tpmBackend).CreateKey(tpmKey, KeyAlgorithm.EcP256);
        var hsmPublic = ((IKeyGenerator)hsmBackend).CreateKey(hsmKey, KeyAlgorithm.EcP256);
        using var tpmTls = ((ITlsKeySource)tpmBackend).OpenForTls(tpmKey);
        using var hsmTls = ((ITlsKeySource)hsmBackend).OpenForTls(hsmKey);
        using var tpmLeaf = _chain.IssueLeaf(tpmPublic.SubjectPublicKeyInfo.Span, "tpm-device");
        using var hsmLeaf = _chain.IssueLeaf(hsmPublic.SubjectPublicKeyInfo.Span, "hsm-device");
        // No session tickets: every handshake is a full one (a resumed one has no CertificateVerify).
        await using var server = await OpenSslServer.StartAsync(_chain.Root, extraArguments: ["-num_tickets", "0"]);

        for (var round = 0; round < 2; round++)
        {
            await SServerClient.HandshakeAsync(server, tpmLeaf, tpmTls, _chain.Intermediate);
            await SServerClient.HandshakeAsync(server, hsmLeaf, hsmTls, _chain.Intermediate);
        }

        Assert.Equal(2, OpenSslKeyMethodBridge.OperationsOf(tpmTls)!.Succeeded);
        Assert.Equal(2, OpenSslKeyMethodBridge.OperationsOf(hsmTls)!.Succeeded);
        Assert.DoesNotContain("verify error", server.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("softhsm", "-tls1_3", "TLSv1.3")]
    [InlineData("softhsm", "-tls1_2", "TLSv1.2")]
    public async Task Rsa_token_key_signs_pss_through_the_raw_rsa_mechanism(string token, string version, string expected)
    {
        var (backend, key) = NewKey(token);
        var publicKey = ((IKeyGenerator)backend).CreateKey(key, KeyAlgorithm.Rsa2048);
        using var tlsKey = ((ITlsKeySource)backend).OpenForTls(key);
        using var leaf = _chain.IssueLeaf(publicKey.SubjectPublicKeyInfo.Span, "rsa-device");
        await using var server = await OpenSslServer.StartAsync(_chain.Root, extraArguments: [version]);

        var page = await SServerClient.HandshakeAsync(server, leaf, tlsKey, _chain.Intermediate, SslProtocols.Tls12 | SslProtocols.Tls13);

        Assert.Contains(expected, page, StringComparison.Ordinal);
        AssertFullChainVerified(server.Output);
        Assert.Equal(1, OpenSslKeyMethodBridge.OperationsOf(tlsKey)!.Succeeded);
    }

    [Fact]
    public async Task Rsa_key_signs_tls_1_2_pkcs1_when_the_server_asks_for_it()
    {
        var (backend, key) = NewKey("softhsm");
        var publicKey = ((IKeyGenerator)backend).CreateKey(key, KeyAlgorithm.Rsa2048);
        using var tlsKey = ((ITlsKeySource)backend).OpenForTls(key);
        using var leaf = _chain.IssueLeaf(publicKey.SubjectPublicKeyInfo.Span, "rsa-device");
        await using var server = await OpenSslServer.StartAsync(_chain.Root, extraArguments: ["-tls1_2", "-client_sigalgs", "RSA+SHA256"]);

        var page = await SServerClient.HandshakeAsync(server, leaf, tlsKey, _chain.Intermediate, SslProtocols.Tls12);

        Assert.Contains("TLSv1.2", page, StringComparison.Ordinal);
        AssertFullChainVerified(server.Output);
        Assert.Equal(1, OpenSslKeyMethodBridge.OperationsOf(tlsKey)!.Succeeded);
    }

    [Fact]
    public async Task A_token_session_that_is_gone_fails_the_handshake_with_the_token_error()
    {
        var (backend, key) = NewKey("softhsm");
        var publicKey = ((IKeyGenerator)backend).CreateKey(key, KeyAlgorithm.EcP256);
        var privateKey = backend.OpenPrivateKey(key);
        using var tlsKey = OpenSslKeyMethodBridge.Open(privateKey, publicKey, key.ToString());
        using var leaf = _chain.IssueLeaf(publicKey.SubjectPublicKeyInfo.Span, "device");
        await using var server = await OpenSslServer.StartAsync(_chain.Root);
        // The key is deleted from the token behind the open session's back (as a token reset would).
        Pkcs11KeyBackend.WithSession(key, readWrite: true, (session, uri) => { session.DestroyObject(session.FindSingle(uri)); return 0; });

        await Assert.ThrowsAnyAsync<AuthenticationException>(() => SServerClient.HandshakeAsync(server, leaf, tlsKey, _chain.Intermediate));

        var failure = OpenSslKeyMethodBridge.OperationsOf(tlsKey)!.LastFailure!;
        Assert.Contains("C_Sign", failure.Message, StringComparison.Ordinal);
        Assert.Contains("CKR_", failure.Message, StringComparison.Ordinal);
    }

    // s_server's verify callback prints each certificate it verified, root first.
    private static void AssertFullChainVerified(string output)
    {
        Assert.Contains("depth=2 CN = Bridge Proof Root", output, StringComparison.Ordinal);
        Assert.Contains("depth=1 CN = Bridge Proof Intermediate", output, StringComparison.Ordinal);
        Assert.Contains("depth=0 CN = ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("verify error", output, StringComparison.Ordinal);
    }

    private (IKeyBackend Backend, KeyReference Key) NewKey(string backend)
    {
        if (backend == "file")
            return (new FileKeyBackend(), KeyReference.Parse($"file:{Path.Combine(_directory, Guid.NewGuid().ToString("N"))}.pem"));
        var simulator = backend == "tpm" ? tokens.Tpm : tokens.SoftHsm;
        var reference = KeyReference.Parse(Pkcs11Uri.ForPrivateKey(simulator.TokenLabel, $"tls-{Guid.NewGuid():N}"[..20]).ToString(),
            simulator.ModulePath, PinSource.FromFile(simulator.PinFile));
        return (new Pkcs11KeyBackend(), reference);
    }

    public void Dispose()
    {
        _chain.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
