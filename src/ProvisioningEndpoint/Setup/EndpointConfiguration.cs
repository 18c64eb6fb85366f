using System.Text.Json;
using System.Text.Json.Serialization;
using ProvisioningEndpoint.Model;

namespace ProvisioningEndpoint.Setup;

/// <summary>
/// The endpoint's settings, kept in <c>{data-dir}/endpoint.json</c> (created at first start,
/// updated by <c>serve</c> options, read by <c>info</c>).
/// </summary>
public sealed class EndpointConfiguration
{
    /// <summary>The DPS ID scope devices must name.</summary>
    public string IdScope { get; set; } = "";

    /// <summary>The host name of the device endpoint and the REST API.</summary>
    public string HostName { get; set; } = "localhost";

    /// <summary>The interface to listen on.</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>The DPS device endpoint's MQTT/TLS port.</summary>
    public int DevicePort { get; set; } = 8883;

    /// <summary>The DPS device endpoint's HTTPS port (DPS's HTTPS device API; TPM attestation needs it); 0 = not served.</summary>
    public int DeviceHttpsPort { get; set; } = 8445;

    /// <summary>The REST API's HTTPS port (in the owner connection string and SAS resources).</summary>
    public int RestPort { get; set; } = 8443;

    /// <summary>
    /// The port this instance binds for the DPS device endpoint when it is not <see cref="DevicePort"/>
    /// (instances behind a load balancer on one machine); 0 = <see cref="DevicePort"/>.
    /// </summary>
    public int DeviceListenPort { get; set; }

    /// <summary>The port this instance binds for the REST API when it is not <see cref="RestPort"/>; 0 = <see cref="RestPort"/>.</summary>
    public int RestListenPort { get; set; }

    /// <summary>The DPS device endpoint's bound port.</summary>
    [JsonIgnore]
    public int BoundDevicePort => DeviceListenPort > 0 ? DeviceListenPort : DevicePort;

    /// <summary>The REST API's bound port.</summary>
    [JsonIgnore]
    public int BoundRestPort => RestListenPort > 0 ? RestListenPort : RestPort;

    /// <summary>The hubs served, each on its own MQTT/TLS port and registry HTTPS port.</summary>
    public List<HubDefinition> Hubs { get; set; } = [new("hub1", "localhost", 8884, 8444)];

    /// <summary>retry-after of 202 responses (DPS answers 3; 0 for tests and benchmarks).</summary>
    public int RetryAfterSeconds { get; set; } = 3;

    /// <summary>Enforce DPS's 5 status polls per 10 s per device.</summary>
    public bool ThrottlePolls { get; set; } = true;

    /// <summary>How long a verification code stays valid.</summary>
    public int VerificationCodeLifetimeMinutes { get; set; } = 60;

    /// <summary>Telemetry messages kept per device.</summary>
    public int TelemetryPerDevice { get; set; } = 1000;

    /// <summary>Names and addresses the server certificate covers (fixed at first start).</summary>
    public List<string> ServerNames { get; set; } = ["localhost", "127.0.0.1"];

    /// <summary>
    /// The external store every instance of a cluster shares: an Npgsql connection string without
    /// a password; null = the SQLite file in the data directory.
    /// </summary>
    public string? Store { get; set; }

    /// <summary>The file holding the external store's password; null = <c>PGPASSWORD</c>, or none.</summary>
    public string? StorePasswordFile { get; set; }

    /// <summary>Reads the file.</summary>
    /// <exception cref="InvalidOperationException">The file is not valid; the message names it.</exception>
    public static EndpointConfiguration Load(string path)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), EndpointJsonContext.Default.EndpointConfiguration)
                ?? throw new InvalidOperationException($"'{path}' is empty");
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"'{path}' is not a valid endpoint configuration: {e.Message}", e);
        }
    }

    /// <summary>Writes the file atomically.</summary>
    public void Save(string path) => DataFiles.WriteAtomically(path, JsonSerializer.Serialize(this, EndpointJsonContext.Default.EndpointConfiguration), secret: false);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(EndpointConfiguration))]
[JsonSerializable(typeof(EndpointInfo))]
internal sealed partial class EndpointJsonContext : JsonSerializerContext;
