using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Tls;
using DeviceAgent.TestPeers;

namespace ProvisioningEndpoint.Tests.Support;

/// <summary>Bytes on the wire for tests that must send what no well-behaved client sends (slow, oversized, malformed).</summary>
internal static class RawMqtt
{
    /// <summary>An MQTT 3.1.1 CONNECT with clean session and a user name.</summary>
    public static byte[] Connect(string clientId, string userName, ushort keepAliveSeconds)
    {
        var body = new List<byte> { 0, 4, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 4, 0x82, (byte)(keepAliveSeconds >> 8), (byte)keepAliveSeconds };
        body.AddRange(String(clientId));
        body.AddRange(String(userName));
        return [0x10, .. RemainingLength(body.Count), .. body];
    }

    /// <summary>The DPS CONNECT of <paramref name="device"/>.</summary>
    public static byte[] DpsConnect(EndpointUnderTest endpoint, TestDevice device, ushort keepAliveSeconds = 60) =>
        Connect(device.RegistrationId, $"{endpoint.Configuration.IdScope}/registrations/{device.RegistrationId}/api-version=2021-06-01", keepAliveSeconds);

    /// <summary>The hub CONNECT of <paramref name="device"/>.</summary>
    public static byte[] HubConnect(EndpointUnderTest endpoint, TestDevice device, ushort keepAliveSeconds = 60) =>
        Connect(device.RegistrationId, $"{endpoint.Configuration.Hubs[0].HostName}/{device.RegistrationId}/?api-version=2021-04-12", keepAliveSeconds);

    /// <summary>A mutual-TLS stream to <paramref name="port"/> as <paramref name="device"/>, its whole chain sent.</summary>
    public static async Task<Stream> TlsAsync(EndpointUnderTest endpoint, TestDevice device, int port)
    {
        using var bundle = ChainBundle.Create(device.FullChain, device.RegistrationId);
        using var identity = TlsClientIdentity.Create(bundle, device.Key);
        return await MutualTlsConnector.ConnectAsync("localhost", port, identity, TlsServerTrust.FromPemFile(endpoint.ServerCaPath));
    }

    /// <summary>A plain TCP stream to <paramref name="port"/> (no TLS).</summary>
    public static async Task<Stream> TcpAsync(int port)
    {
        var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync("localhost", port);
        return client.GetStream();
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes; fails when the stream ends first.</summary>
    public static async Task<byte[]> ReadAsync(Stream stream, int count, TimeSpan patience)
    {
        var buffer = new byte[count];
        var read = 0;
        using var timeout = new CancellationTokenSource(patience);
        while (read < count)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read), timeout.Token);
            Assert.True(n > 0, $"the endpoint closed after {read} of {count} bytes");
            read += n;
        }
        return buffer;
    }

    /// <summary>
    /// Writes <paramref name="bytes"/> one byte every <paramref name="interval"/> until the
    /// endpoint closes the connection; how long that took from the first byte. Fails after <paramref name="patience"/>.
    /// </summary>
    public static async Task<TimeSpan> TrickleUntilClosedAsync(Stream stream, byte[] bytes, TimeSpan interval, TimeSpan patience)
    {
        var watch = Stopwatch.StartNew();
        var closed = UntilClosedAsync(stream, patience);
        for (var i = 0; !closed.IsCompleted && watch.Elapsed < patience; i = (i + 1) % bytes.Length)
        {
            try
            {
                await stream.WriteAsync(bytes.AsMemory(i, 1));
                await stream.FlushAsync();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or NotSupportedException)
            {
                break;
            }
            await Task.WhenAny(closed, Task.Delay(interval));
        }
        await closed;
        return watch.Elapsed;
    }

    /// <summary>Completes when the endpoint closes the connection (end of stream or reset); fails after <paramref name="patience"/>.</summary>
    public static async Task UntilClosedAsync(Stream stream, TimeSpan patience)
    {
        var buffer = new byte[1024];
        using var timeout = new CancellationTokenSource(patience);
        try
        {
            while (await stream.ReadAsync(buffer, timeout.Token) > 0)
            {
            }
        }
        catch (IOException)
        {
            // reset: closed as well
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"the connection was still open after {patience.TotalSeconds} s");
        }
    }

    private static byte[] String(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        return [(byte)(bytes.Length >> 8), (byte)bytes.Length, .. bytes];
    }

    /// <summary>The remaining-length encoding of <paramref name="length"/> [MQTT-2.2.3].</summary>
    public static byte[] RemainingLength(int length)
    {
        var result = new List<byte>();
        do
        {
            var digit = (byte)(length % 128);
            length /= 128;
            result.Add(length > 0 ? (byte)(digit | 0x80) : digit);
        }
        while (length > 0);
        return [.. result];
    }
}
