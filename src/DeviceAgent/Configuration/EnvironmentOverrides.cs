using System.Collections;
using System.Globalization;
using System.Text.Json;

namespace DeviceAgent.Configuration;

/// <summary>
/// Environment overrides of agent.json, for containers and systemd drop-ins:
/// <c>DEVICEAGENT_{section}__{key}</c> (case-insensitive), e.g.
/// <c>DEVICEAGENT_provisioning__idScope=0ne0001234</c>, <c>DEVICEAGENT_stateDirectory=/tmp/state</c>.
/// Unknown names are refused like unknown JSON keys.
/// </summary>
public static class EnvironmentOverrides
{
    /// <summary>The variable name prefix.</summary>
    public const string Prefix = "DEVICEAGENT_";

    private static readonly Dictionary<string, Action<AgentConfiguration, string>> s_setters = new(StringComparer.OrdinalIgnoreCase)
    {
        ["identity__module"] = (c, v) => c.Identity.Module = v,
        ["identity__key"] = (c, v) => c.Identity.Key = v,
        ["identity__tpm"] = (c, v) => c.Identity.Tpm = v,
        ["identity__pinFile"] = (c, v) => c.Identity.PinFile = v,
        ["identity__pinEnvironmentVariable"] = (c, v) => c.Identity.PinEnvironmentVariable = v,
        ["identity__chain"] = (c, v) => c.Identity.Chain = v,
        ["identity__allowSoftwareKey"] = (c, v) => c.Identity.AllowSoftwareKey = Bool(v, "identity__allowSoftwareKey"),
        ["provisioning__endpoint"] = (c, v) => c.Provisioning.Endpoint = v,
        ["provisioning__idScope"] = (c, v) => c.Provisioning.IdScope = v,
        ["provisioning__registrationId"] = (c, v) => c.Provisioning.RegistrationId = v,
        ["provisioning__trust"] = (c, v) => c.Provisioning.Trust = v,
        ["provisioning__payload"] = (c, v) => c.Provisioning.Payload = Json(v, "provisioning__payload"),
        ["hub__trust"] = (c, v) => c.Hub.Trust = v,
        ["hub__telemetryIntervalSeconds"] = (c, v) => c.Hub.TelemetryIntervalSeconds = Int(v, "hub__telemetryIntervalSeconds"),
        ["hub__keepAliveSeconds"] = (c, v) => c.Hub.KeepAliveSeconds = Int(v, "hub__keepAliveSeconds"),
        ["stateDirectory"] = (c, v) => c.StateDirectory = v,
    };

    /// <summary>Applies the overrides found in <paramref name="environment"/>.</summary>
    /// <exception cref="ConfigurationException">An override names no setting or has an invalid value.</exception>
    public static void Apply(AgentConfiguration configuration, IDictionary environment)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        foreach (DictionaryEntry entry in environment)
        {
            var name = (string)entry.Key;
            // DEVICEAGENT_PKCS11_MODULE and the like belong to the simulators and scripts, not to agent.json.
            if (!name.StartsWith(Prefix, StringComparison.Ordinal) || !name.Contains("__", StringComparison.Ordinal) && !name.Equals(Prefix + "stateDirectory", StringComparison.OrdinalIgnoreCase))
                continue;
            var key = name[Prefix.Length..];
            if (!s_setters.TryGetValue(key, out var set))
                throw new ConfigurationException($"environment variable {name} names no setting; known: {string.Join(", ", s_setters.Keys.Select(k => Prefix + k))}");
            set(configuration, (string?)entry.Value ?? "");
        }
    }

    private static bool Bool(string value, string name) =>
        bool.TryParse(value, out var b) ? b : throw new ConfigurationException($"{Prefix}{name} must be true or false, not '{value}'");

    private static int Int(string value, string name) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : throw new ConfigurationException($"{Prefix}{name} must be a number, not '{value}'");

    private static JsonElement Json(string value, string name)
    {
        try
        {
            using var document = JsonDocument.Parse(value);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new ConfigurationException($"{Prefix}{name} is not JSON: {e.Message}", e);
        }
    }
}
