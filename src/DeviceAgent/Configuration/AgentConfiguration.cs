using System.Text.Json;

using DeviceAgent.Provisioning.Transport;

namespace DeviceAgent.Configuration;

/// <summary>
/// agent.json (default /etc/deviceagent/agent.json) plus environment overrides
/// (<c>DEVICEAGENT_provisioning__idScope=...</c>, see <see cref="EnvironmentOverrides"/>). Unknown
/// keys are refused so that a typo never silently falls back to a default.
/// </summary>
public sealed class AgentConfiguration
{
    /// <summary>The default location.</summary>
    public const string DefaultPath = "/etc/deviceagent/agent.json";

    /// <summary>The device identity.</summary>
    public IdentitySettings Identity { get; set; } = new();

    /// <summary>Which DPS and who this device is.</summary>
    public ProvisioningSettings Provisioning { get; set; } = new();

    /// <summary>The hub connection.</summary>
    public HubSettings Hub { get; set; } = new();

    /// <summary><c>stateDirectory</c>: where the assignment is kept (default /var/lib/deviceagent).</summary>
    public string StateDirectory { get; set; } = "/var/lib/deviceagent";

    /// <summary><c>hardware.gpio</c>: the status LED and re-provision button, if any.</summary>
    public HardwareSettings Hardware { get; set; } = new();

    /// <summary>Waits after failures.</summary>
    public RetrySettings Retry { get; set; } = new();

    /// <summary>cert-renewal: when and how the leaf is renewed.</summary>
    public Renewal.RenewalSettings Renewal { get; set; } = new();

    /// <summary>Checks what running the agent needs; names the first wrong key and the fix.</summary>
    /// <exception cref="ConfigurationException">A key is missing or invalid.</exception>
    public void ValidateForRun(string origin)
    {
        if (Provisioning.Attestation is not (null or "x509" or "tpm"))
            throw new ConfigurationException($"{origin}: provisioning.attestation '{Provisioning.Attestation}' is not \"x509\" or \"tpm\"");
        if (Provisioning.IsTpmAttestation)
            Identity.ValidateForTpmAttestation(origin);
        else
            Identity.Validate(origin);
        if (Hub.SasTokenLifetimeSeconds is < 10 or > 86_400)
            throw new ConfigurationException($"{origin}: hub.sasTokenLifetimeSeconds {Hub.SasTokenLifetimeSeconds} is out of range 10..86400");
        if (string.IsNullOrWhiteSpace(Provisioning.IdScope))
            throw new ConfigurationException($"{origin}: provisioning.idScope is not set; set it to your DPS instance's ID scope (e.g. 0ne00000000)");
        if (Hub.TelemetryIntervalSeconds is < 1 or > 86_400)
            throw new ConfigurationException($"{origin}: hub.telemetryIntervalSeconds {Hub.TelemetryIntervalSeconds} is out of range 1..86400");
        if (Hub.KeepAliveSeconds is < 5 or > 1_800)
            throw new ConfigurationException($"{origin}: hub.keepAliveSeconds {Hub.KeepAliveSeconds} is out of range 5..1800");
        if (string.IsNullOrWhiteSpace(StateDirectory))
            throw new ConfigurationException($"{origin}: stateDirectory is empty; set it to a directory the agent owns, e.g. /var/lib/deviceagent");
        try
        {
            DpsTransport.ParseEndpoint(Provisioning.Endpoint);
        }
        catch (FormatException e)
        {
            throw new ConfigurationException($"{origin}: provisioning.endpoint: {e.Message}", e);
        }
        Retry.ToRuntimeOptions(origin);
        if (Renewal.FindProblem() is { } renewalProblem)
            throw new ConfigurationException($"{origin}: {renewalProblem}");
        try
        {
            Hardware.Gpio?.Validate();
        }
        catch (ArgumentException e)
        {
            throw new ConfigurationException($"{origin}: hardware.gpio: {e.Message}", e);
        }
    }

    /// <summary>Reads and validates a configuration file.</summary>
    /// <exception cref="ConfigurationException">The file is missing, not JSON, or wrong; the message names the key.</exception>
    public static AgentConfiguration Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ConfigurationException($"configuration file '{path}' does not exist; create it (see the README's example) or pass --config", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ConfigurationException($"configuration file '{path}' is not readable by this user", e);
        }

        AgentConfiguration? configuration;
        try
        {
            configuration = JsonSerializer.Deserialize(text, AgentJsonContext.Default.AgentConfiguration);
        }
        catch (JsonException e)
        {
            var where = e.Path is { Length: > 1 } jsonPath ? $" at {jsonPath.TrimStart('$', '.')}" : "";
            var line = e.LineNumber is { } n ? $" (line {n + 1})" : "";
            throw new ConfigurationException($"configuration file '{path}' is not valid{where}{line}: {FirstSentence(e.Message)}", e);
        }
        if (configuration is null)
            throw new ConfigurationException($"configuration file '{path}' is empty (null)");
        configuration.Identity ??= new IdentitySettings();
        configuration.Provisioning ??= new ProvisioningSettings();
        configuration.Hub ??= new HubSettings();
        configuration.Hardware ??= new HardwareSettings();
        configuration.Retry ??= new RetrySettings();
        configuration.Renewal ??= new Renewal.RenewalSettings();
        EnvironmentOverrides.Apply(configuration, Environment.GetEnvironmentVariables());
        return configuration;
    }

    private static string FirstSentence(string message)
    {
        var dot = message.IndexOf(". ", StringComparison.Ordinal);
        return dot > 0 ? message[..dot] : message;
    }
}
