using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace DeviceAgent.Pki.Tls;

/// <summary>
/// Opens mutual-TLS connections: TCP, then TLS 1.2/1.3 with the device's full chain, the server
/// checked against a <see cref="TlsServerTrust"/>. Protocol code above it (MQTT) only sees a Stream.
/// </summary>
public static class MutualTlsConnector
{
    /// <summary>Connects and completes the handshake.</summary>
    /// <param name="host">Host name; also the SNI name and the name the server certificate must carry.</param>
    /// <param name="port">TCP port.</param>
    /// <param name="identity">The client identity, or null for server-authenticated TLS only.</param>
    /// <param name="trust">How the server is trusted.</param>
    /// <param name="cancellationToken">Cancels the connection attempt.</param>
    /// <returns>The authenticated stream; disposing it closes the connection.</returns>
    /// <exception cref="TlsConnectionException">TCP failed, the handshake failed, the server is not trusted, or the
    /// device key failed to sign (its <c>KeyCustodyException</c> is the inner exception); the message says which.</exception>
    public static async Task<SslStream> ConnectAsync(string host, int port, TlsClientIdentity? identity, TlsServerTrust trust,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        ArgumentNullException.ThrowIfNull(trust);
        var client = new TcpClient { NoDelay = true };
        try
        {
            await client.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            client.Dispose();
            throw new TlsConnectionException($"cannot connect to {host}:{port}: {e.Message}", e);
        }

        string? trustProblem = null;
        var ssl = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = host,
            ClientCertificateContext = identity?.Context,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
            {
                var (trusted, problem) = trust.Check(certificate as System.Security.Cryptography.X509Certificates.X509Certificate2, chain, errors);
                trustProblem = problem;
                return trusted;
            },
        };
        var keyFailuresBefore = identity?.KeyOperations()?.Failed ?? 0;
        try
        {
            await ssl.AuthenticateAsClientAsync(options, cancellationToken).ConfigureAwait(false);
            return ssl;
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            client.Dispose();
            // The device key's backend failed (threw, timed out, refused) during this handshake:
            // that, not OpenSSL's "sign failed", is the reason.
            if (identity?.KeyOperations() is { LastFailure: { } keyFailure } operations && operations.Failed > keyFailuresBefore)
                throw new TlsConnectionException($"TLS handshake with {host}:{port} failed: the device key did not sign the CertificateVerify: {keyFailure.Message}", keyFailure);
            var reason = trustProblem ?? TlsAlertExplanation.Explain(Innermost(e));
            throw new TlsConnectionException($"TLS handshake with {host}:{port} failed: {reason}", e);
        }
    }

    /// <summary>
    /// Waits briefly for the server to reject the client certificate. With TLS 1.3 the server
    /// validates the client's chain after the client considers the handshake complete (RFC 8446
    /// 4.4.2.4), so a refusal arrives as an alert on the first read.
    /// </summary>
    /// <returns>Null when nothing arrived or data arrived; the server's reason when it closed or alerted.</returns>
    public static async Task<string?> AwaitRejectionAsync(SslStream stream, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(wait);
        var buffer = new byte[1];
        try
        {
            var read = await stream.ReadAsync(buffer, cts.Token).ConfigureAwait(false);
            return read == 0 ? "the server closed the connection right after the handshake" : null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        catch (IOException e)
        {
            return TlsAlertExplanation.Explain(Innermost(e));
        }
    }

    private static string Innermost(Exception e)
    {
        var messages = new List<string>();
        for (var x = e; x is not null; x = x.InnerException)
        {
            // .NET's wrapper sentences ("see inner exception") say nothing; keep what OpenSSL said.
            if (!x.Message.Contains("see inner exception", StringComparison.OrdinalIgnoreCase))
                messages.Add(x.Message.TrimEnd('.'));
        }
        return string.Join(": ", messages.Distinct());
    }
}
