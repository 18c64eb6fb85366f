namespace ProvisioningEndpoint.Hub;

/// <summary>
/// Serves the publishes of a hub device on some topics (telemetry, the twin, ...). The hub asks
/// each handler in turn (<see cref="Serves"/>); a publish no handler takes ends the connection. A handler sees only
/// publishes of the device on its own topics: <c>devices/{its id}/...</c> and <c>$iothub/...</c>.
/// </summary>
public interface IHubTopicHandler
{
    /// <summary>True when this handler serves <paramref name="topic"/> for <paramref name="deviceId"/>.</summary>
    bool Serves(string deviceId, string topic);

    /// <summary>Serves one publish; the reply, if any, goes to the asking connection only (when it subscribed to the reply's topic).</summary>
    ValueTask<HubReply?> HandleAsync(HubRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// True for a request the hub answers later (issueCertificate: 202, then 200): it is served off the
    /// connection's message pipeline, so that the device's other publishes (telemetry) are not held up
    /// behind it, as IoT Hub does not hold them.
    /// </summary>
    bool AnswersLater => false;
}

/// <summary>One publish of a hub device.</summary>
/// <param name="Hub">The hub's name.</param>
/// <param name="DeviceId">The authenticated device.</param>
/// <param name="Topic">The topic it published to.</param>
/// <param name="Payload">The payload.</param>
/// <param name="Connection">What the device presented at CONNECT (its certificate chain, for handlers that need it).</param>
public sealed record HubRequest(string Hub, string DeviceId, string Topic, ReadOnlyMemory<byte> Payload, HubCredentials Connection);

/// <summary>A message the hub sends back to the device that asked.</summary>
/// <param name="Topic">Its topic (e.g. <c>$iothub/twin/res/200/?$rid=1</c>).</param>
/// <param name="Body">Its payload.</param>
public sealed record HubReply(string Topic, byte[] Body)
{
    /// <summary>The reply sent after this one, if any (issueCertificate answers 202, then 200).</summary>
    public HubReply? Then { get; init; }
}
