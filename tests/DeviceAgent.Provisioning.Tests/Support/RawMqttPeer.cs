using System.Net;
using System.Net.Sockets;

namespace DeviceAgent.Provisioning.Tests.Support;

/// <summary>
/// A server that speaks MQTT byte by byte, as the test scripts it: for what a well-behaved broker
/// never does (stays silent, withholds a PUBACK, sends garbage). One connection at a time.
/// </summary>
internal sealed class RawMqttPeer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<TcpClient> _accepted = [];

    public RawMqttPeer() => _listener.Start();

    /// <summary>Opens a client connection to the peer (the device side's stream).</summary>
    public async ValueTask<Stream> ConnectAsync(CancellationToken cancellationToken)
    {
        var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)_listener.LocalEndpoint).Port, cancellationToken);
        return client.GetStream();
    }

    /// <summary>Accepts the next connection and reads its CONNECT.</summary>
    public async Task<NetworkStream> AcceptAsync(CancellationToken cancellationToken = default) => (await AcceptConnectAsync(cancellationToken)).Stream;

    /// <summary>Accepts the next connection and returns it with its CONNECT's body.</summary>
    public async Task<(NetworkStream Stream, byte[] Connect)> AcceptConnectAsync(CancellationToken cancellationToken = default)
    {
        var client = await _listener.AcceptTcpClientAsync(cancellationToken);
        _accepted.Add(client);
        var stream = client.GetStream();
        var (type, body) = await ReadPacketAsync(stream, cancellationToken);
        Assert.Equal(0x10, type & 0xF0); // CONNECT
        return (stream, body);
    }

    /// <summary>Reads one packet: its first byte and its body.</summary>
    public static async Task<(byte Type, byte[] Body)> ReadPacketAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        var header = new byte[1];
        await stream.ReadExactlyAsync(header, cancellationToken);
        int length = 0, shift = 0;
        var digit = new byte[1];
        do
        {
            await stream.ReadExactlyAsync(digit, cancellationToken);
            length |= (digit[0] & 0x7F) << shift;
            shift += 7;
        }
        while ((digit[0] & 0x80) != 0);
        var body = new byte[length];
        await stream.ReadExactlyAsync(body, cancellationToken);
        return (header[0], body);
    }

    /// <summary>CONNACK accepted, no session present (MQTT 3.1.1 3.2).</summary>
    public static byte[] ConnAck => [0x20, 0x02, 0x00, 0x00];

    /// <summary>SUBACK granting QoS 1 to the SUBSCRIBE whose body is given (3.9).</summary>
    public static byte[] SubAck(byte[] subscribeBody) => [0x90, 0x03, subscribeBody[0], subscribeBody[1], 0x01];

    public void Dispose()
    {
        foreach (var client in _accepted)
            client.Dispose();
        _listener.Stop();
    }
}
