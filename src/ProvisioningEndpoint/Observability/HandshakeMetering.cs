using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace ProvisioningEndpoint.Observability;

/// <summary>
/// Counts the TLS handshakes of a Kestrel listener into <c>provisioning_endpoint_tls_handshakes_total</c>:
/// a connection middleware before the TLS middleware and one after it. A connection that reaches
/// the one after has completed its handshake (succeeded); one that leaves the one before without
/// reaching it did not (failed: a refused or missing certificate, a protocol error, a timeout, a
/// client that went away). Connections refused earlier (the per-address limit) are not handshakes.
/// </summary>
public static class HandshakeMetering
{
    /// <summary>Adds TLS to <paramref name="listen"/> with <paramref name="useHttps"/>, counted under <paramref name="listener"/> (not counted when <paramref name="metrics"/> is null).</summary>
    public static void UseHttps(ListenOptions listen, EndpointMetrics? metrics, string listener, Action<ListenOptions> useHttps)
    {
        ArgumentNullException.ThrowIfNull(listen);
        ArgumentNullException.ThrowIfNull(useHttps);
        if (metrics is null)
        {
            useHttps(listen);
            return;
        }
        listen.Use(next => async connection =>
        {
            var handshake = new Handshake();
            connection.Features.Set(handshake);
            try
            {
                await next(connection).ConfigureAwait(false);
            }
            finally
            {
                if (!handshake.Completed)
                    metrics.Handshake(listener, succeeded: false);
            }
        });
        useHttps(listen);
        listen.Use(next => connection =>
        {
            if (connection.Features.Get<Handshake>() is { } handshake)
                handshake.Completed = true;
            metrics.Handshake(listener, succeeded: true);
            return next(connection);
        });
    }

    // One connection's handshake: set by the middleware after TLS, read by the one before.
    private sealed class Handshake
    {
        public bool Completed { get; set; }
    }
}
