using System.Net;
using MQTTnet.Channel;

namespace DeviceAgent.Provisioning.Transport;

/// <summary>
/// Hands MQTTnet a stream that is already mutual TLS (ours: the full chain sent, the
/// CertificateVerify signed by the device's token), so MQTTnet's own TLS stays off and MQTTnet
/// never opens a socket itself. MQTTnet owns and disposes each stream it gets. Called once per
/// connection; safe to call again after a loss.
/// </summary>
internal sealed class TlsStreamProvider(Func<CancellationToken, ValueTask<Stream>> connect) : IMqttClientStreamProvider
{
    /// <summary>
    /// The endpoint MQTTnet is configured with. MQTTnet requires one before a stream provider; this
    /// provider ignores it (where to connect is <c>connect</c>'s business).
    /// </summary>
    public static EndPoint Placeholder { get; } = new DnsEndPoint("mutual-tls.invalid", 8883);

    /// <summary>What the last call of <c>connect</c> threw (MQTTnet wraps it; the session rethrows it as it was).</summary>
    public Exception? Failure { get; private set; }

    /// <inheritdoc />
    public async Task<Stream> ConnectAsync(EndPoint brokerEndPoint, CancellationToken cancellationToken)
    {
        try
        {
            return await connect(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Failure = e;
            throw;
        }
    }
}
