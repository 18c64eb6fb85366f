using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Pki.Chains.Trust;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using ProvisioningEndpoint.Attestation;

namespace ProvisioningEndpoint.Tls;

/// <summary>
/// The TLS handshake of a device listener in Kestrel: a client certificate is required, every
/// connection is a full handshake, and the certificates the client actually sent (its leaf and
/// the intermediates after it, RFC 8446 4.4.2) are kept as a <see cref="PresentedChain"/> in the
/// connection's features. Trust is not decided here: DPS accepts the handshake and judges the
/// chain at registration, so that a device gets a DPS error it can act on rather than a TLS
/// alert. When a chain policy is given, the TLS stack builds the chain with it (the verified CAs
/// as anchors) and the outcome travels with the chain (<see cref="PresentedChain.HandshakeTrust"/>),
/// so that attestation need not build it again. The TLS stack has already checked the
/// CertificateVerify (possession of the leaf's key).
/// </summary>
public static class MutualTlsHandshake
{
    /// <summary>Kestrel's per-connection TLS options for a device listener.</summary>
    /// <param name="serverCertificate">The endpoint's certificate and its CA.</param>
    /// <param name="chainPolicy">The policy to judge the client's chain with during the handshake (null: no judgement passed on).</param>
    /// <param name="handshakeTimeout">Handshakes longer than this are abandoned.</param>
    /// <param name="clientCertificateOptional">The certificate is asked for but a client may send none (a hub:
    /// devices that DPS provisioned by TPM attestation authenticate with a SAS token at CONNECT instead).</param>
    public static TlsHandshakeCallbackOptions Options(SslStreamCertificateContext serverCertificate,
        Func<CancellationToken, ValueTask<(string AnchorsVersion, X509ChainPolicy Policy)?>>? chainPolicy, TimeSpan handshakeTimeout,
        bool clientCertificateOptional = false)
    {
        return new TlsHandshakeCallbackOptions
        {
            HandshakeTimeout = handshakeTimeout,
            OnConnection = async context =>
            {
                var policy = chainPolicy is null ? null : await chainPolicy(context.CancellationToken).ConfigureAwait(false);
                var capture = new HandshakeCapture(policy?.AnchorsVersion, clientCertificateOptional);
                context.Connection.Features.Set(capture);
                return new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = serverCertificate,
                    ClientCertificateRequired = true,
                    // A resumed session carries no certificates, and attestation judges the chain
                    // the device sends on this connection.
                    AllowTlsResume = false,
                    EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                    // A fresh policy per connection: the TLS stack adds the client's certificates to its ExtraStore.
                    CertificateChainPolicy = policy?.Policy,
                    RemoteCertificateValidationCallback = capture.Validate,
                };
            },
        };
    }

    /// <summary>
    /// The chain a connection's client presented; null when the connection did not come through
    /// <see cref="Options"/>. The connection's handler owns it (<see cref="ReleasePresentedChain"/>).
    /// </summary>
    public static PresentedChain? PresentedChain(this ConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection.Features.Get<HandshakeCapture>()?.Chain;
    }

    /// <summary>Disposes the presented chain; the connection's handler calls it when it is done.</summary>
    public static void ReleasePresentedChain(this ConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        connection.Features.Get<HandshakeCapture>()?.Dispose();
    }

    // Collects the certificates during the handshake; owns them until the connection closes.
    private sealed class HandshakeCapture(string? anchorsVersion, bool certificateOptional) : IDisposable
    {
        public PresentedChain? Chain { get; private set; }

        public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
        {
            if (certificate is null)
                return certificateOptional && errors == SslPolicyErrors.RemoteCertificateNotAvailable;
            var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
            var intermediates = new List<X509Certificate2>();
            foreach (var sent in chain?.ChainPolicy.ExtraStore ?? [])
            {
                if (sent.Thumbprint != leaf.Thumbprint)
                    intermediates.Add(X509CertificateLoader.LoadCertificate(sent.RawData));
            }
            // The TLS stack disposes the chain and its certificates after this callback: keep copies.
            var judged = anchorsVersion is not null && chain is not null
                ? new HandshakeTrust(anchorsVersion, ChainTrust.Interpret(chain, (errors & SslPolicyErrors.RemoteCertificateChainErrors) == 0, copyCertificates: true))
                : null;
            Chain?.Dispose();
            Chain = new PresentedChain(leaf, intermediates) { HandshakeTrust = judged };
            return true;
        }

        public void Dispose() => Chain?.Dispose();
    }
}
