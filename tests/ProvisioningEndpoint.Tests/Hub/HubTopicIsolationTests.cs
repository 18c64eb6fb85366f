using System.Collections.Concurrent;
using MQTTnet;
using MQTTnet.Protocol;
using ProvisioningEndpoint.Hub;
using ProvisioningEndpoint.Tests.Support;

namespace ProvisioningEndpoint.Tests.Hub;

/// <summary>
/// A hub device may subscribe and publish on its own topics only (<c>devices/{its id}/...</c>,
/// <c>$iothub/...</c>), and a reply reaches only the device that asked. Two devices on MQTTnet's
/// client, connected at once.
/// </summary>
public sealed class HubTopicIsolationTests : IAsyncLifetime
{
    private readonly FiveDevices _pki = new();
    private EndpointUnderTest _endpoint = null!;

    public async Task InitializeAsync()
    {
        _endpoint = await EndpointUnderTest.StartAsync();
        await _endpoint.Store.UploadCaAsync("root", _pki.Root.Certificate, verified: true);
        await _endpoint.Store.PutGroupAsync("root-group", _pki.Root.Certificate);
        await _endpoint.AssertAssignedAsync(_pki[1]);
        await _endpoint.AssertAssignedAsync(_pki[2]);
    }

    public async Task DisposeAsync()
    {
        await _endpoint.DisposeAsync();
        _pki.Dispose();
    }

    [Fact]
    public async Task Subscriptions_outside_the_devices_own_topics_are_refused()
    {
        using var device1 = await _endpoint.ConnectHubAsync(_pki[1]);

        var result = await device1.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter("devices/device-1/messages/devicebound/#", MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter("$iothub/twin/res/#", MqttQualityOfServiceLevel.AtMostOnce)
            .WithTopicFilter("devices/device-2/messages/devicebound/#", MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter("#", MqttQualityOfServiceLevel.AtMostOnce)
            .WithTopicFilter("devices/+/messages/events/#", MqttQualityOfServiceLevel.AtMostOnce)
            .Build());

        Assert.Equal([MqttClientSubscribeResultCode.GrantedQoS1, MqttClientSubscribeResultCode.GrantedQoS0,
            MqttClientSubscribeResultCode.UnspecifiedError, MqttClientSubscribeResultCode.UnspecifiedError, MqttClientSubscribeResultCode.UnspecifiedError],
            result.Items.Select(i => i.ResultCode));
        Assert.True(device1.IsConnected);
    }

    [Fact]
    public async Task Publishing_on_another_devices_topic_disconnects_and_stores_nothing()
    {
        using var device1 = await _endpoint.ConnectHubAsync(_pki[1]);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        device1.DisconnectedAsync += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };

        await device1.PublishStringAsync("devices/device-2/messages/events/", "forged", MqttQualityOfServiceLevel.AtMostOnce);

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Empty(await _endpoint.Store.ListTelemetryAsync("hub1", "device-2", 10));
    }

    [Fact]
    public async Task A_twin_reply_reaches_only_the_device_that_asked()
    {
        var seenBy1 = new ConcurrentQueue<string>();
        var seenBy2 = new ConcurrentQueue<string>();
        using var device1 = await _endpoint.ConnectHubAsync(_pki[1], e => seenBy1.Enqueue(e.ApplicationMessage.Topic));
        using var device2 = await _endpoint.ConnectHubAsync(_pki[2], e => seenBy2.Enqueue(e.ApplicationMessage.Topic));
        await device1.SubscribeAsync("$iothub/twin/res/#", MqttQualityOfServiceLevel.AtMostOnce);
        await device2.SubscribeAsync("$iothub/twin/res/#", MqttQualityOfServiceLevel.AtMostOnce);

        await device1.PublishStringAsync("$iothub/twin/GET/?$rid=41", "", MqttQualityOfServiceLevel.AtLeastOnce);

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (seenBy1.IsEmpty && DateTime.UtcNow < deadline)
            await Task.Delay(20);
        await Task.Delay(500); // room for a stray copy to arrive where it must not
        Assert.Equal(["$iothub/twin/res/200/?$rid=41"], seenBy1);
        Assert.Empty(seenBy2);
    }

    [Theory]
    [InlineData("device-1", "devices/device-1/messages/events/", true)]
    [InlineData("device-1", "$iothub/twin/GET/?$rid=1", true)]
    [InlineData("device-1", "devices/device-2/messages/events/", false)]
    [InlineData("device-1", "devices/device-10/messages/events/", false)]
    [InlineData("device-1", "devices/#", false)]
    [InlineData("device-1", "+/device-1/messages/events/", false)]
    public void Own_topics_are_the_devices_own_tree_and_iothub(string deviceId, string topic, bool own) =>
        Assert.Equal(own, HubDeviceEndpoint.IsOwnTopic(deviceId, topic));
}
