using System.Collections;
using System.Collections.Concurrent;
using System.Net;
using MQTTnet.Server;

namespace ProvisioningEndpoint.Hosting;

/// <summary>
/// What a role established about one connection at CONNECT (who it is, what it presented),
/// kept in the items of the session MQTTnet gives that connection. The session is not always
/// the one validation saw: a client that reconnects without clean session while its old
/// connection is still open gets the old session back, with the old items. So the state is
/// staged at validation, keyed by the connection's remote end point, and put into the session
/// the connection really got once it is connected.
/// </summary>
/// <typeparam name="T">The role's per-connection state.</typeparam>
public sealed class ConnectionStates<T> where T : class
{
    private static readonly object Key = new();
    private readonly ConcurrentDictionary<EndPoint, T> _staged = new();

    /// <summary>Moves staged state into the session on <see cref="MqttServer.ClientConnectedAsync"/>.</summary>
    public void Attach(MqttServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        server.ClientConnectedAsync += e =>
        {
            if (e.RemoteEndPoint is { } remote && _staged.TryRemove(remote, out var state))
                e.SessionItems[Key] = state;
            return Task.CompletedTask;
        };
        server.ClientDisconnectedAsync += e =>
        {
            if (e.RemoteEndPoint is { } remote)
                _staged.TryRemove(remote, out _);
            return Task.CompletedTask;
        };
    }

    /// <summary>Stages the state of a connection being accepted.</summary>
    public void Stage(ValidatingConnectionEventArgs connection, T state)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _staged[connection.RemoteEndPoint] = state;
    }

    /// <summary>The state of the connection whose session items these are; null before it is connected.</summary>
    public T? Of(IDictionary sessionItems) => sessionItems?[Key] as T;
}
