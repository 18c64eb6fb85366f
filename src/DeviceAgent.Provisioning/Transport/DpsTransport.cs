using DeviceAgent.Pki.Tls;

namespace DeviceAgent.Provisioning.Transport;

/// <summary>
/// Where DPS is and how to reach it: host and port (the global DPS host on 8883 by default),
/// the device's TLS identity (full chain, key in the TPM/HSM), and how the server is trusted.
/// Opens one mutual-TLS stream per call, for the DPS client's connection factory.
/// </summary>
public sealed class DpsTransport(string host, int port, TlsClientIdentity identity, TlsServerTrust trust)
{
    /// <summary>The global DPS device endpoint.</summary>
    public const string GlobalEndpoint = "global.azure-devices-provisioning.net";

    /// <summary>The endpoint host.</summary>
    public string Host { get; } = host;

    /// <summary>The endpoint port.</summary>
    public int Port { get; } = port;

    /// <summary>Parses <c>host</c> or <c>host:port</c> (port 8883 by default).</summary>
    /// <exception cref="FormatException">The port is not a number in 1..65535.</exception>
    public static (string Host, int Port) ParseEndpoint(string? endpoint)
    {
        if (string.IsNullOrWhiteSpace(endpoint))
            return (GlobalEndpoint, 8883);
        var colon = endpoint.LastIndexOf(':');
        if (colon < 0)
            return (endpoint, 8883);
        return int.TryParse(endpoint[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
            ? (endpoint[..colon], port)
            : throw new FormatException($"'{endpoint}' is not host or host:port (port 1..65535)");
    }

    /// <summary>Opens a mutual-TLS stream to the endpoint.</summary>
    /// <exception cref="TlsConnectionException">TCP or TLS failed; the message says which.</exception>
    public async ValueTask<Stream> ConnectAsync(CancellationToken cancellationToken) =>
        await MutualTlsConnector.ConnectAsync(Host, Port, identity, trust, cancellationToken).ConfigureAwait(false);
}
