using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Pki.Chains.Trust;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using ProvisioningEndpoint.Attestation;

namespace ProvisioningEndpoint.Device.Https;

/// <summary>
/// The TLS side of DPS's HTTPS device API in Kestrel: a client certificate is asked for but not
/// required (TPM devices send none), and the certificates a device sent are kept with its
/// connection as a <see cref="PresentedChain"/>, judged during the handshake against the verified
/// CAs as the MQTT listener does (<see cref="ChainAttestor.HandshakePolicyAsync"/>), so that
/// registration over HTTPS attests exactly like registration over MQTT. The chain lives as long as
/// the connection.
/// </summary>
internal static class ClientChainCapture
{
    private static readonly object s_key = new();

    /// <summary>The options for <c>ListenOptions.UseHttps</c>.</summary>
    public static TlsHandshakeCallbackOptions Options(SslStreamCertificateContext serverCertificate, ChainAttestor attestor) => new()
    {
        HandshakeTimeout = TimeSpan.FromSeconds(15),
        OnConnection = async context =>
        {
            var policy = await attestor.HandshakePolicyAsync(context.CancellationToken).ConfigureAwait(false);
            var connection = context.Connection;
            return new SslServerAuthenticationOptions
            {
                ServerCertificateContext = serverCertificate,
                ClientCertificateRequired = true,
                // A resumed session carries no certificates; attestation judges this connection's.
                AllowTlsResume = false,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                CertificateChainPolicy = policy?.Policy,
#pragma warning disable CA5359 // Trust is judged at registration (a DPS error the device can act on), not by a TLS alert.
                RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
                {
                    if (certificate is null)
                        return true; // a TPM device: it authenticates by SAS
                    var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                    var intermediates = new List<X509Certificate2>();
                    // The certificates the client sent after its leaf (RFC 8446 4.4.2) are in the ExtraStore.
                    foreach (var sent in chain?.ChainPolicy.ExtraStore ?? [])
                    {
                        if (sent.Thumbprint != leaf.Thumbprint)
                            intermediates.Add(X509CertificateLoader.LoadCertificate(sent.RawData));
                    }
                    HandshakeTrust? judged = policy is { } used && chain is not null
                        ? new HandshakeTrust(used.AnchorsVersion, ChainTrust.Interpret(chain, (errors & SslPolicyErrors.RemoteCertificateChainErrors) == 0, copyCertificates: true))
                        : null;
                    var presented = new PresentedChain(leaf, intermediates) { HandshakeTrust = judged };
                    connection.Items[s_key] = presented;
                    connection.ConnectionClosed.Register(presented.Dispose);
                    return true;
                },
#pragma warning restore CA5359
            };
        },
    };

    /// <summary>The chain the device of this request presented on its connection; null when it sent no certificate.</summary>
    public static PresentedChain? Of(HttpContext context) =>
        context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(s_key, out var chain) == true ? chain as PresentedChain : null;
}
