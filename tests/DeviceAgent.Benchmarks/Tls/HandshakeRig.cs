using System.Security.Cryptography;
using DeviceAgent.Keys;
using DeviceAgent.Keys.OpenSsl;
using DeviceAgent.Keys.Pkcs11;
using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Tls;
using DeviceAgent.TestPeers;
using DeviceAgent.Tpm.Keys;
using DeviceAgent.Tpm.Transport;

namespace DeviceAgent.Benchmarks.Tls;

/// <summary>
/// Everything one handshake measurement needs: the device key where <see cref="KeyLocation"/>
/// says (software: a plain .NET key; file: a key file through the key-method bridge; softhsm,
/// tpm: the token key through the bridge, tpm being swtpm behind tpm2-abrmd and tpm2-pkcs11;
/// tpm-native: a tpm:handle= key in a swtpm of its own through our TPM stack and the bridge, its
/// commands counted by <see cref="TpmCommands"/>), a chain root -> intermediate -> leaf, and a
/// <see cref="HandshakeServer"/> trusting the root.
/// </summary>
public sealed class HandshakeRig : IAsyncDisposable
{
    private readonly TokenSimulator? _token;
    private readonly TestChain _chain;
    private readonly AsymmetricAlgorithm _key;
    private readonly TlsClientIdentity _identity;
    private readonly HandshakeServer _server;
    private readonly TlsServerTrust _trust;
    private Swtpm? _swtpm;
    private TpmKeyBackend? _tpmBackend;

    private HandshakeRig(string keyLocation, TokenSimulator? token, TestChain chain, AsymmetricAlgorithm key, TlsClientIdentity identity, HandshakeServer server)
    {
        KeyLocation = keyLocation;
        _token = token;
        _chain = chain;
        _key = key;
        _identity = identity;
        _server = server;
        _trust = TlsServerTrust.FromCertificates([server.ServerCertificate], "the benchmark server");
    }

    public string KeyLocation { get; }

    public HandshakeServer Server => _server;

    /// <summary>For tpm-native: the TPM commands on the wire, by command code; null otherwise.</summary>
    public CountingTransport? TpmCommands { get; private set; }

    public static async Task<HandshakeRig> StartAsync(string keyLocation)
    {
        var chain = TestChain.Create("Handshake Benchmark");
        TokenSimulator? token = null;
        AsymmetricAlgorithm key;
        DevicePublicKey publicKey;
        if (keyLocation == "tpm-native")
        {
            // No resource manager, no tpm2-pkcs11: swtpm over TCP, our stack, the key-method bridge.
            var swtpm = await Swtpm.StartAsync();
            CountingTransport? counter = null;
            var backend = new TpmKeyBackend(TpmSpec.Parse(swtpm.Spec), t => counter = new CountingTransport(t));
            var reference = KeyReference.Parse("tpm:handle=0x81000101");
            publicKey = backend.CreateKey(reference, KeyAlgorithm.EcP256);
            key = backend.OpenForTls(reference);
            using var nativeLeaf = chain.IssueLeaf(publicKey.SubjectPublicKeyInfo.Span, "bench-device");
            using var nativeBundle = ChainBundle.Create([nativeLeaf, chain.Intermediate], "benchmark");
            return new HandshakeRig(keyLocation, null, chain, key, TlsClientIdentity.Create(nativeBundle, key), new HandshakeServer(chain.Root))
            {
                _swtpm = swtpm, _tpmBackend = backend, TpmCommands = counter,
            };
        }
        if (keyLocation == "software")
        {
            var software = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            (key, publicKey) = (software, DevicePublicKey.FromAlgorithm(software));
        }
        else if (keyLocation == "file")
        {
            var software = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            (key, publicKey) = (OpenSslKeyMethodBridge.Open(software, DevicePublicKey.FromAlgorithm(software), "file:bench"), DevicePublicKey.FromAlgorithm(software));
        }
        else
        {
            token = await TokenSimulator.StartAsync(keyLocation == "tpm" ? TokenKind.Tpm : TokenKind.SoftHsm);
            token.ApplyToProcess();
            var reference = KeyReference.Parse(Pkcs11Uri.ForPrivateKey(token.TokenLabel, "bench-key").ToString(), token.ModulePath, PinSource.FromFile(token.PinFile));
            var backend = new Pkcs11KeyBackend();
            publicKey = backend.CreateKey(reference, KeyAlgorithm.EcP256);
            key = backend.OpenForTls(reference);
        }
        using var leaf = chain.IssueLeaf(publicKey.SubjectPublicKeyInfo.Span, "bench-device");
        using var bundle = ChainBundle.Create([leaf, chain.Intermediate], "benchmark");
        return new HandshakeRig(keyLocation, token, chain, key, TlsClientIdentity.Create(bundle, key), new HandshakeServer(chain.Root));
    }

    /// <summary>One full mutual-TLS handshake, completed when the server confirms it accepted the chain.</summary>
    public async Task HandshakeAsync()
    {
        await using var stream = await MutualTlsConnector.ConnectAsync("localhost", _server.Port, _identity, _trust);
        var ok = new byte[2];
        await stream.ReadExactlyAsync(ok);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _identity.Dispose();
        _key.Dispose();
        _chain.Dispose();
        _token?.Dispose();
        _tpmBackend?.Dispose();
        _swtpm?.Dispose();
    }
}
