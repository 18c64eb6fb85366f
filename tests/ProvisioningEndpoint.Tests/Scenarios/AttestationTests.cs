using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DeviceAgent.TestPeers;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Tests.Support;

namespace ProvisioningEndpoint.Tests.Scenarios;

/// <summary>What a device must prove: a chain to a verified CA, its CN = registration id, its own leaf for an individual enrollment.</summary>
public sealed class AttestationTests : IAsyncLifetime
{
    private readonly FiveDevices _pki = new();
    private EndpointUnderTest _endpoint = null!;

    public async Task InitializeAsync()
    {
        _endpoint = await EndpointUnderTest.StartAsync();
        await _endpoint.Store.UploadCaAsync("root", _pki.Root.Certificate, verified: true);
        await _endpoint.Store.PutGroupAsync("root-group", _pki.Root.Certificate);
    }

    public async Task DisposeAsync()
    {
        await _endpoint.DisposeAsync();
        _pki.Dispose();
    }

    [Fact]
    public async Task A_device_that_sends_its_leaf_alone_cannot_reach_the_verified_root()
    {
        var (result, refusal) = await _endpoint.RegisterAsync(_pki[1], sendIntermediates: false);

        Assert.Null(result);
        Assert.Equal(401, refusal!.Status);
        Assert.Contains("the device sent no intermediate", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("intermediates", refusal.LikelyCause, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_group_on_an_unverified_CA_provisions_nobody()
    {
        using var other = TestCa.CreateRoot("Fabrikam Root");
        using var device = other.IssueDevice("fabrikam-1");
        await _endpoint.Store.UploadCaAsync("fabrikam", other.Certificate, verified: false);
        await _endpoint.Store.PutGroupAsync("fabrikam-group", other.Certificate);

        var refusal = await _endpoint.AssertRefusedAsync(device, status: 401);

        Assert.Contains("does not lead to a verified CA certificate", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_group_on_an_unverified_intermediate_works_when_it_rolls_up_to_the_verified_root()
    {
        await _endpoint.Store.UploadCaAsync("certificate-b", _pki.B.Certificate, verified: false);
        await _endpoint.Store.PutGroupAsync("group-b", _pki.B.Certificate);

        await _endpoint.AssertAssignedAsync(_pki[4]);

        Assert.Equal("group-b", (await _endpoint.Store.GetRegistrationAsync("device-4"))!.EnrollmentId);
    }

    [Fact]
    public async Task Registration_id_must_be_the_certificate_CN()
    {
        var (result, refusal) = await _endpoint.RegisterAsync(_pki[1], registrationId: "device-2");

        Assert.Null(result);
        Assert.Contains("subject CN 'device-1' is not the registration id 'device-2'", refusal!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_individual_enrollment_accepts_only_its_own_certificate()
    {
        using var impostor = _pki.A.IssueDevice("device-1"); // same CN, another key and certificate
        await _endpoint.Store.PutIndividualAsync("device-1", _pki[1].Leaf);

        var refusal = await _endpoint.AssertRefusedAsync(impostor, status: 401);

        Assert.Contains("is not the one of individual enrollment 'device-1'", refusal.Message, StringComparison.Ordinal);
        await _endpoint.AssertAssignedAsync(_pki[1]);
    }

    [Fact]
    public async Task A_self_signed_device_certificate_provisions_through_an_individual_enrollment()
    {
        using var issuer = TestCa.CreateRoot("unused");
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=standalone-1", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var device = new TestDevice("standalone-1", X509CertificateLoader.LoadCertificate(
            request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1)).RawData), key, issuer);
        await _endpoint.Store.PutIndividualAsync("standalone-1", device.Leaf);

        await _endpoint.AssertAssignedAsync(device);
    }

    [Fact]
    public async Task A_refused_device_leaves_a_record_of_why()
    {
        using var stranger = TestCa.CreateRoot("Stranger Root");
        using var device = stranger.IssueDevice("stranger-1");

        await _endpoint.AssertRefusedAsync(device, status: 401);

        var record = await _endpoint.Store.GetRegistrationAsync("stranger-1");
        Assert.Equal(("failed", 401002, EnrollmentKind.None), (record!.Status, record.ErrorCode, record.EnrollmentKind));
        Assert.Contains("does not lead to a verified CA certificate", record.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_id_scope_is_refused_at_connect()
    {
        var (result, refusal) = await _endpoint.RegisterAsync(_pki[1], idScope: "0ne00000000");

        Assert.Null(result);
        Assert.Contains("DPS refused the MQTT connection", refusal!.Message, StringComparison.Ordinal);
        Assert.Contains("idScope", refusal.LikelyCause, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_hubs_share_devices_evenly_and_stably()
    {
        await using var twoHubs = await EndpointUnderTest.StartAsync(hubs: 2);
        await twoHubs.Store.UploadCaAsync("root", _pki.Root.Certificate, verified: true);
        await twoHubs.Store.PutGroupAsync("root-group", _pki.Root.Certificate);
        var devices = Enumerable.Range(1, 12).Select(i => _pki.A.IssueDevice($"spread-{i}")).ToList();
        try
        {
            var hubs = new List<string>();
            foreach (var device in devices)
                hubs.Add((await twoHubs.AssertAssignedAsync(device)).AssignedHub);
            var again = await twoHubs.AssertAssignedAsync(devices[0]);

            Assert.Equal(2, hubs.Distinct().Count());
            Assert.Equal(hubs[0], again.AssignedHub);
        }
        finally
        {
            devices.ForEach(d => d.Dispose());
        }
    }
}
