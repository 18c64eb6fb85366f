using System.Diagnostics;
using System.Text;
using DeviceAgent.Provisioning.Wire;
using ProvisioningEndpoint.Tests.Support;

namespace ProvisioningEndpoint.Tests.Conformance;

/// <summary>
/// A bounded mutation run (fixed seed, reproducible) against the real DPS listener: valid client
/// packets (the CONNECT itself, SUBSCRIBE, register PUBLISH at QoS 0/1/2, PUBACK, PINGREQ,
/// UNSUBSCRIBE) with bits flipped, bytes overwritten, inserted, deleted, truncated or length
/// fields inflated, each connection fed a few. Whatever a connection gets, only that connection
/// may end: a device connected before the run still answers PINGREQ after it, a new device still
/// registers, and the endpoint's managed memory stays bounded.
/// </summary>
public sealed class MalformedInputTests : IAsyncLifetime
{
    private const int Connections = 80;
    private const int InputsPerConnection = 8;
    private readonly FiveDevices _pki = new();
    private EndpointUnderTest _endpoint = null!;

    public async Task InitializeAsync()
    {
        _endpoint = await EndpointUnderTest.StartAsync(minimumLogLevel: Microsoft.Extensions.Logging.LogLevel.Error);
        await _endpoint.Store.UploadCaAsync("root", _pki.Root.Certificate, verified: true);
        await _endpoint.Store.PutGroupAsync("root-group", _pki.Root.Certificate);
    }

    public async Task DisposeAsync()
    {
        await _endpoint.DisposeAsync();
        _pki.Dispose();
    }

    [Fact]
    public async Task Mutated_packets_close_only_their_own_connection_and_leave_the_endpoint_serving()
    {
        var port = _endpoint.Configuration.DevicePort;
        await using var bystander = await RawMqtt.TlsAsync(_endpoint, _pki[2], port);
        await bystander.WriteAsync(RawMqtt.DpsConnect(_endpoint, _pki[2], keepAliveSeconds: 0));
        Assert.Equal([0x20, 0x02, 0x00, 0x00], await RawMqtt.ReadAsync(bystander, 4, TimeSpan.FromSeconds(10)));
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);

        var random = new Random(0x5EED);
        var connect = RawMqtt.DpsConnect(_endpoint, _pki[1]);
        byte[][] seeds = [Subscribe(), Publish(0), Publish(1), Publish(2), [0x40, 0x02, 0x00, 0x07], [0xC0, 0x00], Unsubscribe()];
        var closedByEndpoint = 0;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < Connections; i++)
        {
            await using var device = await RawMqtt.TlsAsync(_endpoint, _pki[1], port);
            try
            {
                if (i % 4 == 0)
                {
                    await device.WriteAsync(Mutate(connect, random)); // a broken CONNECT
                }
                else
                {
                    await device.WriteAsync(connect);
                    await RawMqtt.ReadAsync(device, 4, TimeSpan.FromSeconds(10));
                    for (var n = 0; n < InputsPerConnection; n++)
                        await device.WriteAsync(Mutate(seeds[random.Next(seeds.Length)], random));
                }
                await device.FlushAsync();
            }
            catch (IOException)
            {
                // closed by the endpoint while we wrote: allowed
            }
            if (await ClosedWithinAsync(device, TimeSpan.FromMilliseconds(300)))
                closedByEndpoint++;
        }
        watch.Stop();

        // The bystander is still served.
        await bystander.WriteAsync(new byte[] { 0xC0, 0x00 });
        Assert.Equal([0xD0, 0x00], await RawMqtt.ReadAsync(bystander, 2, TimeSpan.FromSeconds(10)));
        // A new device still registers.
        await _endpoint.AssertAssignedAsync(_pki[3]);
        Assert.True(closedByEndpoint > Connections / 4, $"the mutations should mostly be malformed: {closedByEndpoint} of {Connections} connections closed by the endpoint");
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var grown = GC.GetTotalMemory(forceFullCollection: true) - memoryBefore;
        Assert.True(grown < 32L * 1024 * 1024, $"managed memory grew by {grown / 1024 / 1024} MiB over {Connections} connections ({watch.Elapsed.TotalSeconds:0.0} s)");
    }

    private static async Task<bool> ClosedWithinAsync(Stream stream, TimeSpan patience)
    {
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(patience);
        try
        {
            while (await stream.ReadAsync(buffer, timeout.Token) > 0)
            {
            }
            return true;
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static byte[] Subscribe()
    {
        var filter = Encoding.UTF8.GetBytes(DpsTopics.ResponseFilter);
        byte[] body = [0x00, 0x01, (byte)(filter.Length >> 8), (byte)filter.Length, .. filter, 0x01];
        return [0x82, .. RawMqtt.RemainingLength(body.Length), .. body];
    }

    private static byte[] Unsubscribe()
    {
        var filter = Encoding.UTF8.GetBytes(DpsTopics.ResponseFilter);
        byte[] body = [0x00, 0x02, (byte)(filter.Length >> 8), (byte)filter.Length, .. filter];
        return [0xA2, .. RawMqtt.RemainingLength(body.Length), .. body];
    }

    private static byte[] Publish(int qos)
    {
        var topic = Encoding.UTF8.GetBytes(DpsTopics.Register("7"));
        var payload = """{"registrationId":"device-1"}"""u8.ToArray();
        byte[] id = qos > 0 ? [0x00, 0x05] : [];
        byte[] body = [(byte)(topic.Length >> 8), (byte)topic.Length, .. topic, .. id, .. payload];
        return [(byte)(0x30 | (qos << 1)), .. RawMqtt.RemainingLength(body.Length), .. body];
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = seed.ToList();
        for (var n = 1 + random.Next(3); n > 0; n--)
        {
            switch (random.Next(6))
            {
                case 0 when bytes.Count > 0: // flip a bit
                    var at = random.Next(bytes.Count);
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when bytes.Count > 0: // overwrite with an interesting byte
                    bytes[random.Next(bytes.Count)] = (byte)(random.Next(4) switch { 0 => 0x00, 1 => 0xFF, 2 => 0x7F, _ => random.Next(256) });
                    break;
                case 2 when bytes.Count > 1: // truncate
                    bytes.RemoveRange(random.Next(bytes.Count), 1);
                    bytes = bytes.Take(random.Next(1, bytes.Count + 1)).ToList();
                    break;
                case 3: // insert a byte
                    bytes.Insert(random.Next(bytes.Count + 1), (byte)random.Next(256));
                    break;
                case 4 when bytes.Count > 1: // delete a byte
                    bytes.RemoveAt(random.Next(bytes.Count));
                    break;
                case 5 when bytes.Count > 3: // inflate a length field somewhere
                    var field = random.Next(1, bytes.Count - 1);
                    bytes[field] = 0xFF;
                    bytes[field + 1] = (byte)random.Next(256);
                    break;
            }
        }
        return [.. bytes];
    }
}
