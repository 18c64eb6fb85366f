namespace Factory.Endpoint;

/// <summary>
/// A DPS (or IoT Hub) service connection string: <c>HostName=host[:port];SharedAccessKeyName=policy;SharedAccessKey=base64</c>,
/// as the Azure portal and <c>provisioning-endpoint info --json</c> print it. Immutable; the key is
/// never shown by <see cref="ToString"/>.
/// </summary>
internal sealed record ServiceConnectionString(string HostName, string KeyName, byte[] Key)
{
    /// <summary>Parses a connection string.</summary>
    /// <exception cref="FormatException">A part is missing or the key is not base64; the message names it (never the key).</exception>
    public static ServiceConnectionString Parse(string text)
    {
        var parts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
                throw new FormatException($"the connection string has a part without '=' ('{(part.Length > 20 ? part[..20] + "..." : part)}')");
            parts[part[..eq]] = part[(eq + 1)..];
        }
        string Required(string name) => parts.TryGetValue(name, out var value) && value.Length > 0
            ? value
            : throw new FormatException($"the connection string has no {name}; expected HostName=...;SharedAccessKeyName=...;SharedAccessKey=...");
        var host = Required("HostName");
        var keyName = Required("SharedAccessKeyName");
        var keyText = Required("SharedAccessKey");
        var key = new byte[keyText.Length];
        if (!Convert.TryFromBase64String(keyText, key, out var length) || length == 0)
            throw new FormatException("the connection string's SharedAccessKey is not base64");
        return new ServiceConnectionString(host, keyName, key[..length]);
    }

    /// <summary>The service's base address.</summary>
    public Uri BaseAddress => new($"https://{HostName}");

    /// <summary>Redacted: the key is a secret.</summary>
    public override string ToString() => $"HostName={HostName};SharedAccessKeyName={KeyName};SharedAccessKey=(secret)";
}
