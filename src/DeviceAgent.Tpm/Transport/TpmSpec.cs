using System.Globalization;

namespace DeviceAgent.Tpm.Transport;

/// <summary>
/// Names a TPM as a user writes it in a config file or on a command line:
/// <c>device:/dev/tpmrm0</c> (the default; any TPM character device) or
/// <c>swtpm:host=127.0.0.1,port=2321</c> (the simulator, control channel at port+1). Immutable.
/// </summary>
public sealed record TpmSpec
{
    private TpmSpec(string text, string? devicePath, string? host, int port)
    {
        Text = text;
        DevicePath = devicePath;
        Host = host;
        Port = port;
    }

    /// <summary>The kernel resource manager, the default.</summary>
    public static TpmSpec Default { get; } = new("device:/dev/tpmrm0", "/dev/tpmrm0", null, 0);

    /// <summary>The spec as written.</summary>
    public string Text { get; }

    /// <summary>The device node, for <c>device:</c>.</summary>
    public string? DevicePath { get; }

    /// <summary>The simulator's host, for <c>swtpm:</c>.</summary>
    public string? Host { get; }

    /// <summary>The simulator's data port, for <c>swtpm:</c>.</summary>
    public int Port { get; }

    /// <summary>Parses a spec; null or empty means <see cref="Default"/>.</summary>
    /// <exception cref="FormatException">Not a <c>device:</c> or <c>swtpm:</c> spec, or a bad field.</exception>
    public static TpmSpec Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return Default;
        text = text.Trim();
        if (text.StartsWith("device:", StringComparison.Ordinal))
        {
            var path = text["device:".Length..];
            if (!path.StartsWith('/'))
                throw new FormatException($"TPM spec '{text}': a device is an absolute path (device:/dev/tpmrm0)");
            return new TpmSpec(text, path, null, 0);
        }
        if (text.StartsWith("swtpm:", StringComparison.Ordinal))
        {
            string host = "127.0.0.1";
            var port = 2321;
            foreach (var field in text["swtpm:".Length..].Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = field.IndexOf('=', StringComparison.Ordinal);
                var key = eq < 0 ? field : field[..eq];
                var value = eq < 0 ? "" : field[(eq + 1)..];
                switch (key)
                {
                    case "host" when value.Length > 0:
                        host = value;
                        break;
                    case "port" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is > 0 and < 65535:
                        port = p;
                        break;
                    default:
                        throw new FormatException($"TPM spec '{text}': '{field}' is not host=NAME or port=1..65534 (swtpm:host=127.0.0.1,port=2321)");
                }
            }
            return new TpmSpec(text, null, host, port);
        }
        throw new FormatException($"TPM spec '{text}' is neither device:/dev/tpmrm0 nor swtpm:host=127.0.0.1,port=2321");
    }

    /// <summary>Opens the transport the spec names.</summary>
    /// <exception cref="TpmTransportException">The TPM is not there.</exception>
    public ITpmTransport Open() =>
        DevicePath is not null ? new TpmDeviceTransport(DevicePath) : new SwtpmTransport(Host!, Port);

    /// <inheritdoc />
    public override string ToString() => Text;
}
