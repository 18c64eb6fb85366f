namespace DeviceAgent.Configuration;

/// <summary>
/// The agent's configuration is missing, unreadable or wrong. The message names the file, the
/// key (e.g. <c>identity.key</c>) and the fix.
/// </summary>
public sealed class ConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ConfigurationException() : base("the configuration is invalid") { }

    /// <summary>Creates the exception.</summary>
    public ConfigurationException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public ConfigurationException(string message, Exception innerException) : base(message, innerException) { }
}
