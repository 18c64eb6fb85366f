using System.Text.Json;

namespace DeviceAgent.Configuration;

/// <summary>
/// agent.json (default /etc/deviceagent/agent.json). This version reads the <c>identity</c>
/// section; unknown keys are refused so that a typo never silently falls back to a default.
/// </summary>
public sealed class AgentConfiguration
{
    /// <summary>The default location.</summary>
    public const string DefaultPath = "/etc/deviceagent/agent.json";

    /// <summary>The device identity.</summary>
    public IdentitySettings Identity { get; set; } = new();

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
        return configuration;
    }

    private static string FirstSentence(string message)
    {
        var dot = message.IndexOf(". ", StringComparison.Ordinal);
        return dot > 0 ? message[..dot] : message;
    }
}
