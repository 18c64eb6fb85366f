using System.Security.Cryptography;
using DeviceAgent.Keys;
using DeviceAgent.Keys.OpenSsl;
using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Tls;
using DeviceAgent.TestPeers;

namespace DeviceAgent.Pki.Tests.Tls;

/// <summary>
/// fvt (openssl s_server): when the device key's backend fails mid-handshake, the connector says
/// so, with the key's own error, instead of OpenSSL's bare "sign failed".
/// </summary>
public sealed class MutualTlsConnectorTests
{
    [Fact]
    public async Task A_key_backend_that_fails_mid_handshake_is_named_in_the_error()
    {
        using var chain = TestChain.Create("Connector Key Failure");
        var backend = new FailingECDsa();
        var publicKey = DevicePublicKey.FromAlgorithm(backend);
        using var key = OpenSslKeyMethodBridge.Open(backend, publicKey, "pkcs11:token=device;object=unplugged");
        using var leaf = chain.IssueLeaf(publicKey.SubjectPublicKeyInfo.Span, "device-1");
        using var bundle = ChainBundle.Create([leaf, chain.Intermediate], "test");
        using var identity = TlsClientIdentity.Create(bundle, key);
        await using var server = await OpenSslServer.StartAsync(chain.Root);
        var trust = TlsServerTrust.FromCertificates([server.ServerCertificate], "the test server");

        var e = await Assert.ThrowsAsync<TlsConnectionException>(() => MutualTlsConnector.ConnectAsync("localhost", server.Port, identity, trust));

        Assert.Contains("the device key did not sign the CertificateVerify", e.Message, StringComparison.Ordinal);
        Assert.Contains("pkcs11:token=device;object=unplugged failed to sign the TLS handshake: CKR_DEVICE_REMOVED", e.Message, StringComparison.Ordinal);
        Assert.IsType<KeyCustodyException>(e.InnerException);
    }

    // A unit seam: a key whose token went away (signing throws; the public half is a software key's).
    private sealed class FailingECDsa : ECDsa
    {
        private readonly ECDsa _public = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        public override int KeySize { get => 256; set { } }

        public override byte[] SignHash(byte[] hash) => throw new CryptographicException("CKR_DEVICE_REMOVED");

        public override bool VerifyHash(byte[] hash, byte[] signature) => _public.VerifyHash(hash, signature);

        public override ECParameters ExportParameters(bool includePrivateParameters) => _public.ExportParameters(false);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                _public.Dispose();
            base.Dispose(disposing);
        }
    }
}
