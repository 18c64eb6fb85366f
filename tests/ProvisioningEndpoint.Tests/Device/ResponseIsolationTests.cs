using System.Collections.Concurrent;
using System.Text;
using DeviceAgent.Provisioning.Wire;
using MQTTnet;
using MQTTnet.Protocol;
using ProvisioningEndpoint.Tests.Support;

namespace ProvisioningEndpoint.Tests.Device;

/// <summary>
/// Every DPS device subscribes to the same filter, <c>$dps/registrations/res/#</c>: a response
/// must reach the device that asked and no other. Two devices on MQTTnet's client are connected
/// at once, both subscribed; each registers and polls in turn while the other watches.
/// </summary>
public sealed class ResponseIsolationTests : IAsyncLifetime
{
    private readonly FiveDevices _pki = new();
    private EndpointUnderTest _endpoint = null!;

    public async Task InitializeAsync()
    {
        _endpoint = await EndpointUnderTest.StartAsync();
        await _endpoint.Store.UploadCaAsync("root", _pki.Root.Certificate, verified: true);
        await _endpoint.Store.PutGroupAsync("root-group", _pki.Root.Certificate);
    }

    public async Task DisposeAsync()
    {
        await _endpoint.DisposeAsync();
        _pki.Dispose();
    }

    [Fact]
    public async Task A_registration_response_reaches_only_the_device_that_asked()
    {
        var seenBy1 = new ConcurrentQueue<string>();
        var seenBy2 = new ConcurrentQueue<string>();
        using var device1 = await _endpoint.ConnectDpsAsync(_pki[1], e => seenBy1.Enqueue(e.ApplicationMessage.Topic + " " + e.ApplicationMessage.ConvertPayloadToString()));
        using var device2 = await _endpoint.ConnectDpsAsync(_pki[2], e => seenBy2.Enqueue(e.ApplicationMessage.Topic + " " + e.ApplicationMessage.ConvertPayloadToString()));
        await device1.SubscribeAsync(DpsTopics.ResponseFilter, MqttQualityOfServiceLevel.AtLeastOnce);
        await device2.SubscribeAsync(DpsTopics.ResponseFilter, MqttQualityOfServiceLevel.AtLeastOnce);

        await RegisterAsync(device1, "device-1", seenBy1);
        Assert.Empty(seenBy2);

        await RegisterAsync(device2, "device-2", seenBy2);
        // device 1 saw its own two responses (202 assigning, 200 assigned) and nothing of device 2's.
        Assert.Equal(2, seenBy1.Count);
        Assert.All(seenBy1, r => Assert.DoesNotContain("device-2", r, StringComparison.Ordinal));
        Assert.Equal(2, seenBy2.Count);
        Assert.All(seenBy2, r => Assert.DoesNotContain("device-1", r, StringComparison.Ordinal));
    }

    // Register, then poll until assigned, waiting for each response on this device's own queue;
    // then a moment longer, for a stray response to arrive where it must not.
    private static async Task RegisterAsync(IMqttClient device, string registrationId, ConcurrentQueue<string> seen)
    {
        var before = seen.Count;
        await device.PublishStringAsync(DpsTopics.Register("1"), $$"""{"registrationId":"{{registrationId}}"}""", MqttQualityOfServiceLevel.AtLeastOnce);
        var accepted = await NextAsync(seen, before + 1);
        Assert.StartsWith("$dps/registrations/res/202/?$rid=1", accepted, StringComparison.Ordinal);
        var operationId = System.Text.Json.JsonDocument.Parse(accepted[(accepted.IndexOf(' ', StringComparison.Ordinal) + 1)..]).RootElement.GetProperty("operationId").GetString()!;
        await device.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(DpsTopics.OperationStatus("2", operationId))
            .WithPayload(Encoding.UTF8.GetBytes("")).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        var assigned = await NextAsync(seen, before + 2);
        Assert.StartsWith("$dps/registrations/res/200/?$rid=2", assigned, StringComparison.Ordinal);
        Assert.Contains($"\"deviceId\":\"{registrationId}\"", assigned, StringComparison.Ordinal);
        await Task.Delay(TimeSpan.FromMilliseconds(500));
    }

    private static async Task<string> NextAsync(ConcurrentQueue<string> seen, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (seen.Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"no response {count} within 20 s");
            await Task.Delay(20);
        }
        return seen.ElementAt(count - 1);
    }
}
