using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using DeviceAgent.Pki.Requests;
using DeviceAgent.TestPeers;
using ProvisioningEndpoint.Issuance;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Tests.Support;

namespace ProvisioningEndpoint.Tests.Issuance;

/// <summary>
/// The hub path: issueCertificate over the device's hub connection, answered 202 then 200 with the
/// chain, under the policy of the entry that provisioned the device; the hub credentials move to
/// the new leaf with the presented one kept until the device connects with the new one.
/// </summary>
public sealed class IssueCertificateHandlerTests : IAsyncLifetime
{
    private readonly TestCa _root = TestCa.CreateRoot("Hub Issuance Root");
    private TestCa _issuer = null!;
    private EndpointUnderTest _endpoint = null!;
    private string _work = null!;

    public async Task InitializeAsync()
    {
        _issuer = _root.IssueIntermediate("Hub Issuance Issuer");
        _endpoint = await EndpointUnderTest.StartAsync();
        _work = Directory.CreateTempSubdirectory("hub-issuance-").FullName;
        IssuerFixture.Import(_endpoint, _issuer, _work, "hub-issuer");
        await _endpoint.Store.UploadCaAsync("root", _root.Certificate, verified: true);
        await _endpoint.Store.PutEnrollmentGroupAsync(new EnrollmentGroup("renewing", _root.Certificate.RawData, null, ProvisioningStatus.Enabled, null,
            AllocationSettings.Default, Etags.New(), DateTimeOffset.UtcNow, DateTimeOffset.UtcNow,
            new CertificateIssuancePolicy("hub-issuer", TimeSpan.FromMinutes(10))), null);
    }

    public async Task DisposeAsync()
    {
        await _endpoint.DisposeAsync();
        Directory.Delete(_work, recursive: true);
        _issuer.Dispose();
        _root.Dispose();
    }

    [Fact]
    public async Task A_connected_device_gets_202_then_200_with_its_new_chain()
    {
        using var device = _root.IssueDevice("hub-device-1");
        await _endpoint.AssertAssignedAsync(device);
        using var newKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = Convert.ToBase64String(CertificationRequest.Create(newKey, new X500DistinguishedName("CN=hub-device-1")).Der.Span);

        var responses = await RequestAsync(device, $$"""{"id":"hub-device-1","csr":"{{csr}}","replace":true}""", expected: 2);

        Assert.Equal("$iothub/credentials/res/202/?$rid=7", responses[0].Topic);
        Assert.Equal("$iothub/credentials/res/200/?$rid=7", responses[1].Topic);
        using var body = JsonDocument.Parse(responses[1].Body);
        var chain = body.RootElement.GetProperty("certificates").EnumerateArray().Select(c => X509CertificateLoader.LoadCertificate(Convert.FromBase64String(c.GetString()!))).ToList();
        Assert.Equal("CN=hub-device-1", chain[0].Subject);
        Assert.Equal(newKey.ExportSubjectPublicKeyInfo(), chain[0].PublicKey.ExportSubjectPublicKeyInfo());
        Assert.Equal(_issuer.Certificate.Thumbprint, chain[1].Thumbprint);
        var record = await _endpoint.Store.GetRegistrationAsync("hub-device-1");
        Assert.Equal(chain[0].Thumbprint, record!.CertificateThumbprint);
        var hubDevice = await _endpoint.Store.GetHubDeviceAsync(record.AssignedHub!, "hub-device-1");
        Assert.Equal((chain[0].Thumbprint, device.Leaf.Thumbprint), (hubDevice!.PrimaryThumbprint, hubDevice.SecondaryThumbprint));
    }

    [Fact]
    public async Task A_bad_csr_over_the_hub_gets_the_same_400_and_nothing_changes()
    {
        using var device = _root.IssueDevice("hub-device-2");
        await _endpoint.AssertAssignedAsync(device);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = Convert.ToBase64String(CertificationRequest.Create(key, new X500DistinguishedName("CN=someone-else")).Der.Span);
        var before = await _endpoint.Store.GetHubDeviceAsync(_endpoint.Configuration.Hubs[0].Name, "hub-device-2");

        var responses = await RequestAsync(device, $$"""{"id":"hub-device-2","csr":"{{csr}}"}""", expected: 1);

        Assert.Equal("$iothub/credentials/res/400/?$rid=7", responses[0].Topic);
        Assert.Contains($"\"errorCode\":{IssuanceErrorCodes.WrongCommonName}", Encoding.UTF8.GetString(responses[0].Body), StringComparison.Ordinal);
        Assert.Equal(before, await _endpoint.Store.GetHubDeviceAsync(_endpoint.Configuration.Hubs[0].Name, "hub-device-2"));
    }

    private async Task<List<(string Topic, byte[] Body)>> RequestAsync(TestDevice device, string body, int expected)
    {
        var received = Channel.CreateUnbounded<(string, byte[])>();
        await using var session = await _endpoint.ConnectAsync(device);
        await session.SubscribeAsync(IssueCertificateHandler.ResponseFilter, (topic, payload) =>
        {
            received.Writer.TryWrite((topic, payload.ToArray()));
            return ValueTask.CompletedTask;
        }, CancellationToken.None);
        await session.PublishAsync("$iothub/credentials/POST/issueCertificate/?$rid=7", Encoding.UTF8.GetBytes(body), CancellationToken.None);
        var responses = new List<(string, byte[])>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)); // issuing decrypts the issuer key (PBKDF2): slow on a loaded machine
        while (responses.Count < expected)
            responses.Add(await received.Reader.ReadAsync(timeout.Token));
        return responses;
    }
}
