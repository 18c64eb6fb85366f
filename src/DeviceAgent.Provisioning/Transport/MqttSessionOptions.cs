namespace DeviceAgent.Provisioning.Transport;

/// <summary>What a device's MQTT 3.1.1 connection announces (clean session always: DPS and IoT Hub devices here keep no session).</summary>
public sealed record MqttSessionOptions
{
    /// <summary>The client identifier (the registration id for DPS, the device id for a hub).</summary>
    public required string ClientId { get; init; }

    /// <summary>The user name (DPS: <c>{idScope}/registrations/{registrationId}/api-version=...</c>).</summary>
    public required string UserName { get; init; }

    /// <summary>The password (a hub SAS token for a TPM-attested device; none with X.509). A secret: never log it.</summary>
    public byte[]? Password { get; init; }

    /// <summary>
    /// The keep-alive: a PINGREQ after this much silence; a server that does not answer within half
    /// of it more (1.5x in all) is declared dead and the session ends.
    /// </summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long CONNECT may wait for its CONNACK.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
