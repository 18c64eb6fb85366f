using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Chains.Trust;
using DeviceAgent.Pki.Tls;
using DeviceAgent.TestPeers;
using Microsoft.Extensions.Logging.Abstractions;
using ProvisioningEndpoint.Tls;

namespace ProvisioningEndpoint.Tests.Tls;

/// <summary>
/// The DPS listener has the TLS stack judge a device's chain against the verified CAs during the
/// handshake (so that a registration costs one chain build, not two): the judgement reaches the
/// handler with the certificates the device sent, and an untrusted chain still completes the
/// handshake, so that DPS can answer with an error the device can act on.
/// </summary>
public sealed class HandshakeTrustTests : IAsyncLifetime
{
    private readonly TestCa _root = TestCa.CreateRoot("Handshake Root");
    private readonly TestCa _line;
    private readonly X509Certificate2 _server;
    private MutualTlsListener _listener = null!;
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

    public Task InitializeAsync()
    {
        var anchors = new X509Certificate2Collection(_root.Certificate);
        _listener = new MutualTlsListener("dps", new IPEndPoint(IPAddress.Loopback, 0), SslStreamCertificateContext.Create(_server, null),
            (_, presented, _) =>
            {
                var trust = presented.HandshakeTrust;
                _seen.TrySetResult((trust?.Result.IsTrusted, trust?.AnchorsVersion ?? "", trust?.Result.Path.Count ?? 0, presented.Intermediates.Count,
                    string.Join("; ", trust?.Result.Problems.Select(p => p.Status.ToString()) ?? [])));
                return Task.CompletedTask;
            }, NullLogger.Instance)
        {
            HandshakeChainPolicy = _ => ValueTask.FromResult<(string, X509ChainPolicy)?>(("anchors-v1", ChainTrust.CreatePolicy(anchors, DateTimeOffset.UtcNow, ChainTrust.ClientAuthentication))),
        };
        _listener.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _listener.DisposeAsync();
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
        await using var stream = await MutualTlsConnector.ConnectAsync("localhost", _listener.Port, identity,
            TlsServerTrust.FromCertificates(new X509Certificate2Collection(_server), "the test server"));
        return await _seen.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
