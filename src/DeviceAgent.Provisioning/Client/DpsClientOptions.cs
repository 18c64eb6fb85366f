namespace DeviceAgent.Provisioning.Client;

/// <summary>How patient the DPS client is.</summary>
public sealed record DpsClientOptions
{
    /// <summary>The poll interval when DPS sends no retry-after (SDKs use 1–2 s).</summary>
    public TimeSpan DefaultPollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest retry-after honoured (a misbehaving service cannot park the device forever).</summary>
    public TimeSpan MaximumRetryAfter { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The whole registration, retries included, must finish within this.</summary>
    public TimeSpan OverallTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How long one request waits for its response.</summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts after a transient failure (5xx, connection loss) before giving up.</summary>
    public int MaximumRetries { get; init; } = 5;

    /// <summary>The first backoff after a transient failure (doubled each time, with jitter).</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>MQTT keep-alive of the DPS connection.</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The api-version in the user name.</summary>
    public string ApiVersion { get; init; } = "2019-03-31";

    /// <summary>Clock for waits (tests use a fake).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
