using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace ProvisioningEndpoint.Hosting;

/// <summary>
/// Kestrel connection middleware, first on a device listener: at most a number of connections
/// open at once from one IP address; the next is closed at once, before its TLS handshake.
/// </summary>
public sealed partial class ConnectionsPerAddress(string listener, int limit, ILogger logger)
{
    private readonly Dictionary<IPAddress, int> _open = [];
    private readonly Lock _gate = new();

    /// <summary>Connections open now from <paramref name="address"/>.</summary>
    public int OpenFrom(IPAddress address)
    {
        lock (_gate)
            return _open.GetValueOrDefault(address);
    }

    /// <summary>The middleware.</summary>
    public ConnectionDelegate Wrap(ConnectionDelegate next) => async connection =>
    {
        if (connection.RemoteEndPoint is not IPEndPoint { Address: var address })
        {
            await next(connection).ConfigureAwait(false);
            return;
        }
        int count;
        lock (_gate)
            _open[address] = count = _open.GetValueOrDefault(address) + 1;
        try
        {
            if (count > limit)
            {
                LogRefused(listener, address, limit);
                connection.Abort(new ConnectionAbortedException($"more than {limit} connections from {address}"));
                return;
            }
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                if (--_open[address] == 0)
                    _open.Remove(address);
            }
        }
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Listener}: connection from {Address} refused: it has {Limit} open already")]
    private partial void LogRefused(string listener, IPAddress address, int limit);
}
