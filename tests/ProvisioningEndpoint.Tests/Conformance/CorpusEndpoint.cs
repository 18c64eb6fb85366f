using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Tls;
using DeviceAgent.TestPeers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;
using ProvisioningEndpoint.Hosting;

namespace ProvisioningEndpoint.Tests.Conformance;

/// <summary>A Kestrel host with one device listener (EndpointListeners.Bind) serving <see cref="BrokerRole"/>; shared by the corpus cases.</summary>
public sealed class CorpusEndpoint : IAsyncLifetime
{
    private readonly TestCa _ca = TestCa.CreateRoot("Corpus Root");
    private readonly X509Certificate2 _server;
    private WebApplication _host = null!;
    private MqttListener _listener = null!;

    public CorpusEndpoint()
    {
        Device = _ca.IssueDevice("corpus-device");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        _server = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(2));
    }

    internal TestDevice Device { get; }

    public int Port { get; private set; }

    public MqttServer Server => _listener.Server;

    public async Task InitializeAsync()
    {
        var limits = new ListenerLimits { ConnectionsPerAddress = 64 };
        _listener = new MqttListener(new BrokerRole(), limits);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        Port = FreePort.Next();
        var certificate = SslStreamCertificateContext.Create(_server, null, offline: true);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, Port,
            listen => EndpointListeners.Bind(listen, _listener, certificate, null, limits, TimeProvider.System, NullLogger.Instance)));
        _host = builder.Build();
        await _host.StartAsync();
        await _listener.Server.StartAsync();
    }

    /// <summary>A mutual-TLS connection to the listener.</summary>
    public async Task<Stream> ConnectAsync()
    {
        using var bundle = ChainBundle.Create(Device.FullChain, Device.RegistrationId);
        using var identity = TlsClientIdentity.Create(bundle, Device.Key);
        return await MutualTlsConnector.ConnectAsync("localhost", Port, identity,
            TlsServerTrust.FromCertificates(new X509Certificate2Collection(_server), "the corpus endpoint"));
    }

    /// <summary>The corpus's "publish" step: another client's message arrives at the broker.</summary>
    public Task PublishAsync(string topic, string payload, int qos) =>
        _listener.Server.InjectApplicationMessage(new InjectedMqttApplicationMessage(new MqttApplicationMessageBuilder()
            .WithTopic(topic).WithPayload(Encoding.UTF8.GetBytes(payload)).WithQualityOfServiceLevel((MqttQualityOfServiceLevel)qos).Build())
        { SenderClientId = "corpus-publisher" });

    public async Task DisposeAsync()
    {
        await _listener.Server.StopAsync(new MqttServerStopOptions());
        await _host.StopAsync();
        await _host.DisposeAsync();
        _listener.Server.Dispose();
        _server.Dispose();
        Device.Dispose();
        _ca.Dispose();
    }
}
