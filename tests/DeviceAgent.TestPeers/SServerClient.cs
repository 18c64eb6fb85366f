using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace DeviceAgent.TestPeers;

/// <summary>
/// The client side of the bridge's proofs: SslStream presenting leaf + intermediate with a bridged
/// key to an <see cref="OpenSslServer"/>, then reading its -www page (which s_server only serves
/// after it verified the client chain, so a TLS 1.3 refusal cannot go unnoticed).
/// </summary>
public static class SServerClient
{
    /// <summary>One handshake and the page; throws what SslStream threw.</summary>
    public static async Task<string> HandshakeAsync(OpenSslServer server, X509Certificate2 leaf, AsymmetricAlgorithm tlsKey,
        X509Certificate2 intermediate, SslProtocols protocols = SslProtocols.Tls13)
    {
        using var leafWithKey = tlsKey is ECDsa ec ? leaf.CopyWithPrivateKey(ec) : leaf.CopyWithPrivateKey((RSA)tlsKey);
        var context = SslStreamCertificateContext.Create(leafWithKey, [intermediate], offline: true);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", server.Port);
        await using var ssl = new SslStream(tcp.GetStream());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            ClientCertificateContext = context,
            EnabledSslProtocols = protocols,
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                certificate is not null && certificate.GetCertHashString() == server.ServerCertificate.GetCertHashString(),
        }, timeout.Token);
        await ssl.WriteAsync("GET / HTTP/1.0\r\n\r\n"u8.ToArray(), timeout.Token);
        using var reader = new StreamReader(ssl, Encoding.UTF8);
        return await reader.ReadToEndAsync(timeout.Token);
    }
}
