using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Chains.Trust;
using DeviceAgent.Pki.Tls;
using DeviceAgent.TestPeers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using ProvisioningEndpoint.Tls;

namespace ProvisioningEndpoint.Tests.Tls;

/// <summary>
/// The DPS listener (Kestrel, <see cref="MutualTlsHandshake"/>) has the TLS stack judge a device's chain against the verified CAs during the
/// handshake (so that a registration costs one chain build, not two): the judgement reaches the
/// handler with the certificates the device sent, and an untrusted chain still completes the
/// handshake, so that DPS can answer with an error the device can act on.
/// </summary>
public sealed class HandshakeTrustTests : IAsyncLifetime
{
    private readonly TestCa _root = TestCa.CreateRoot("Handshake Root");
    private readonly TestCa _line;
    private readonly X509Certificate2 _server;
    private WebApplication _host = null!;
    private int _port;
    private TaskCompletionSource<(bool? Trusted, string Version, int Path, int Sent, string Problems)> _seen = new();

    public HandshakeTrustTests()
    {
        _line = _root.IssueIntermediate("Handshake Line CA");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        _server = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
    }

    public async Task InitializeAsync()
    {
        var anchors = new X509Certificate2Collection(_root.Certificate);
        var options = MutualTlsHandshake.Options(SslStreamCertificateContext.Create(_server, null),
            _ => ValueTask.FromResult<(string, X509ChainPolicy)?>(("anchors-v1", ChainTrust.CreatePolicy(anchors, DateTimeOffset.UtcNow, ChainTrust.ClientAuthentication))),
            TimeSpan.FromSeconds(10));
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        _port = FreePort.Next();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, _port, listen =>
        {
            listen.UseHttps(options);
            listen.Run(connection =>
            {
                try
                {
                    var presented = connection.PresentedChain()!;
                    var trust = presented.HandshakeTrust;
                    _seen.TrySetResult((trust?.Result.IsTrusted, trust?.AnchorsVersion ?? "", trust?.Result.Path.Count ?? 0, presented.Intermediates.Count,
                        string.Join("; ", trust?.Result.Problems.Select(p => p.Status.ToString()) ?? [])));
                }
                finally
                {
                    connection.ReleasePresentedChain();
                }
                return Task.CompletedTask;
            });
        }));
        _host = builder.Build();
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        await _host.DisposeAsync();
        _server.Dispose();
        _line.Dispose();
        _root.Dispose();
    }

    [Fact]
    public async Task A_chain_to_a_verified_CA_is_judged_trusted_in_the_handshake_with_its_whole_path()
    {
        using var device = _line.IssueDevice("handshake-1");

        var seen = await HandshakeAsync(device, sendIntermediates: true);

        Assert.Equal((true, "anchors-v1", 3, 1, ""), seen);
    }

    [Fact]
    public async Task A_leaf_sent_alone_completes_the_handshake_and_is_judged_untrusted()
    {
        using var device = _line.IssueDevice("handshake-2");

        var seen = await HandshakeAsync(device, sendIntermediates: false);

        Assert.False(seen.Trusted);
        Assert.Equal(0, seen.Sent);
        Assert.Contains("PartialChain", seen.Problems, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chain_to_another_root_is_judged_untrusted()
    {
        using var stranger = TestCa.CreateRoot("Stranger Root");
        using var strangerLine = stranger.IssueIntermediate("Stranger Line CA");
        using var device = strangerLine.IssueDevice("stranger-1");

        var seen = await HandshakeAsync(device, sendIntermediates: true);

        Assert.False(seen.Trusted);
        Assert.Equal(1, seen.Sent);
    }

    private async Task<(bool? Trusted, string Version, int Path, int Sent, string Problems)> HandshakeAsync(TestDevice device, bool sendIntermediates)
    {
        _seen = new TaskCompletionSource<(bool?, string, int, int, string)>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var bundle = ChainBundle.Create(device.FullChain, device.RegistrationId);
        using var identity = TlsClientIdentity.Create(bundle, device.Key, sendIntermediates);
        await using var stream = await MutualTlsConnector.ConnectAsync("localhost", _port, identity,
            TlsServerTrust.FromCertificates(new X509Certificate2Collection(_server), "the test server"));
        return await _seen.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
