using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Pki.Chains.Trust;

namespace DeviceAgent.Benchmarks.Tls;

/// <summary>
/// A loopback TLS server for the handshake benchmark: requires a client certificate and validates
/// the full chain the client sent against one trusted root (as DPS would); no session resumption,
/// so every handshake is a full one with one client signature. Counts what it accepted.
/// </summary>
public sealed class HandshakeServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly SslStreamCertificateContext _certificate;
    private readonly X509Certificate2Collection _trusted;
    private readonly Task _loop;
    private int _accepted;
    private int _refused;

    public HandshakeServer(X509Certificate2 clientRoot)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        ServerCertificate = X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
        _certificate = SslStreamCertificateContext.Create(ServerCertificate, null, offline: true);
        _trusted = [clientRoot];
        _listener.Start(512);
        _loop = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public X509Certificate2 ServerCertificate { get; }

    public int Accepted => Volatile.Read(ref _accepted);

    public int Refused => Volatile.Read(ref _refused);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        await using var ssl = new SslStream(client.GetStream());
        try
        {
            await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificateContext = _certificate,
                ClientCertificateRequired = true,
                AllowTlsResume = false,
                EnabledSslProtocols = SslProtocols.Tls13,
                RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
                {
                    if (certificate is not X509Certificate2 leaf)
                        return false;
                    using var result = ChainTrust.Evaluate(leaf, chain?.ChainPolicy.ExtraStore.Cast<X509Certificate2>() ?? [], _trusted, DateTimeOffset.UtcNow);
                    return result.IsTrusted;
                },
            }, _stop.Token);
            Interlocked.Increment(ref _accepted);
            // Tell the client its certificate was accepted (TLS 1.3 validates it after the client's Finished).
            await ssl.WriteAsync("ok"u8.ToArray(), _stop.Token);
        }
        catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException)
        {
            Interlocked.Increment(ref _refused);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        ServerCertificate.Dispose();
        _stop.Dispose();
    }
}
