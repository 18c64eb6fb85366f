using System.Net;
using System.Security.Cryptography.X509Certificates;
using MQTTnet.Adapter;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using ProvisioningEndpoint.Attestation;

namespace ProvisioningEndpoint.Hosting;

/// <summary>An MQTTnet channel that also carries the chain the client presented in its TLS handshake.</summary>
public sealed class DeviceChannel(IMqttChannelAdapter inner, PresentedChain? chain) : IMqttChannelAdapter
{
    /// <summary>The certificates the client sent; null when the listener has no mutual TLS.</summary>
    public PresentedChain? Chain { get; } = chain;

    /// <inheritdoc />
    public long BytesReceived => inner.BytesReceived;

    /// <inheritdoc />
    public long BytesSent => inner.BytesSent;

    /// <inheritdoc />
    public X509Certificate2 ClientCertificate => inner.ClientCertificate;

    /// <inheritdoc />
    public EndPoint RemoteEndPoint => inner.RemoteEndPoint;

    /// <inheritdoc />
    public EndPoint LocalEndPoint => inner.LocalEndPoint;

    /// <inheritdoc />
    public bool IsSecureConnection => inner.IsSecureConnection;

    /// <inheritdoc />
    public MqttPacketFormatterAdapter PacketFormatterAdapter => inner.PacketFormatterAdapter;

    /// <inheritdoc />
    public Task ConnectAsync(CancellationToken cancellationToken) => inner.ConnectAsync(cancellationToken);

    /// <inheritdoc />
    public Task DisconnectAsync(CancellationToken cancellationToken) => inner.DisconnectAsync(cancellationToken);

    /// <inheritdoc />
    public Task<MqttPacket> ReceivePacketAsync(CancellationToken cancellationToken) => inner.ReceivePacketAsync(cancellationToken);

    /// <inheritdoc />
    public void ResetStatistics() => inner.ResetStatistics();

    /// <inheritdoc />
    public Task SendPacketAsync(MqttPacket packet, CancellationToken cancellationToken) => inner.SendPacketAsync(packet, cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        // The inner channel and the chain belong to the listener's connection handler.
    }
}
