using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Requests;
using DeviceAgent.Provisioning.Transport;
using DeviceAgent.Provisioning.Wire;
using DeviceAgent.TestPeers;
using ProvisioningEndpoint.Issuance;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Tests.Support;

namespace ProvisioningEndpoint.Tests.Issuance;

/// <summary>
/// DPS certificate issuance at the wire: a register request with a csr under an entry's issuance
/// policy gets a leaf and its chain in registrationState.issuedCertificateChain; the registration
/// record and the hub credentials move to it together; the old leaf keeps working at the hub until
/// the device connects with the new one. Bad requests get 400xxx with the reason and nothing is issued.
/// </summary>
public sealed class RegistrationIssuanceTests : IAsyncLifetime
{
    private readonly TestCa _root = TestCa.CreateRoot("Issuance Root");
    private TestCa _line = null!;
    private TestCa _issuer = null!;
    private EndpointUnderTest _endpoint = null!;
    private string _work = null!;

    public async Task InitializeAsync()
    {
        _line = _root.IssueIntermediate("Issuance Line");
        _issuer = _root.IssueIntermediate("Issuance Endpoint Issuer");
        _endpoint = await EndpointUnderTest.StartAsync();
        _work = Directory.CreateTempSubdirectory("issuance-").FullName;
        IssuerFixture.Import(_endpoint, _issuer, _work, "line-issuer");
        await _endpoint.Store.UploadCaAsync("root", _root.Certificate, verified: true);
        await _endpoint.Store.PutEnrollmentGroupAsync(new EnrollmentGroup("renewing", _root.Certificate.RawData, null, ProvisioningStatus.Enabled, null,
            AllocationSettings.Default, Etags.New(), DateTimeOffset.UtcNow, DateTimeOffset.UtcNow,
            new CertificateIssuancePolicy("line-issuer", TimeSpan.FromHours(1))), null);
    }

    public async Task DisposeAsync()
    {
        await _endpoint.DisposeAsync();
        Directory.Delete(_work, recursive: true);
        _issuer.Dispose();
        _line.Dispose();
        _root.Dispose();
    }

    [Fact]
    public async Task A_csr_gets_a_leaf_and_its_chain_and_the_old_leaf_works_until_the_new_one_connects()
    {
        using var device = _line.IssueDevice("device-1");
        await _endpoint.AssertAssignedAsync(device);
        using var newKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var state = await RegisterWithCsrAsync(device, Csr(newKey, "device-1"));

        Assert.Equal("assigned", state.GetProperty("status").GetString());
        var chain = state.GetProperty("issuedCertificateChain").EnumerateArray().Select(c => X509CertificateLoader.LoadCertificate(Convert.FromBase64String(c.GetString()!))).ToList();
        Assert.Equal(2, chain.Count);
        var leaf = chain[0];
        Assert.Equal("CN=device-1", leaf.Subject);
        Assert.Equal(_issuer.Certificate.Thumbprint, chain[1].Thumbprint);
        Assert.True(CertificateSignature.IsIssuedBy(leaf, _issuer.Certificate));
        Assert.Equal(newKey.ExportSubjectPublicKeyInfo(), leaf.PublicKey.ExportSubjectPublicKeyInfo());
        Assert.Contains(leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>(), o => o.Value == "1.3.6.1.5.5.7.3.2");
        Assert.InRange(leaf.NotAfter.ToUniversalTime(), DateTime.UtcNow.AddMinutes(59), DateTime.UtcNow.AddMinutes(61));

        var record = await _endpoint.Store.GetRegistrationAsync("device-1");
        Assert.Equal(leaf.Thumbprint, record!.CertificateThumbprint);
        var hubDevice = await _endpoint.Store.GetHubDeviceAsync(record.AssignedHub!, "device-1");
        Assert.Equal((leaf.Thumbprint, device.Leaf.Thumbprint), (hubDevice!.PrimaryThumbprint, hubDevice.SecondaryThumbprint));

        await using (var old = await _endpoint.ConnectAsync(device))
            Assert.False(old.Completion.IsCompleted, "the old leaf's connection ended at once");
        using var renewed = new TestDevice("device-1", leaf, ECDsa.Create(newKey.ExportParameters(true)), _issuer);
        await using (var fresh = await _endpoint.ConnectAsync(renewed))
            Assert.False(fresh.Completion.IsCompleted, "the new leaf's connection ended at once");

        Assert.Null((await _endpoint.Store.GetHubDeviceAsync(record.AssignedHub!, "device-1"))!.SecondaryThumbprint);
        var refused = await Assert.ThrowsAsync<MqttConnectionRefusedException>(() => _endpoint.ConnectAsync(device));
        Assert.Equal(MQTTnet.MqttClientConnectResultCode.NotAuthorized, refused.ResultCode);
        await _endpoint.AssertAssignedAsync(renewed); // the new leaf rolls up to the group's root through the issuer
    }

    public static TheoryData<string, int, string> BadRequests => new()
    {
        { "wrong-cn", IssuanceErrorCodes.WrongCommonName, "the csr's subject CN is 'device-9', but the registration id is 'device-2'" },
        { "not-base64", IssuanceErrorCodes.NotACertificationRequest, "the csr is not base64" },
        { "not-a-csr", IssuanceErrorCodes.NotACertificationRequest, "it is not a PKCS#10 certification request" },
        { "bad-signature", IssuanceErrorCodes.BadSignature, "its self-signature does not verify" },
        { "weak-key", IssuanceErrorCodes.WeakKey, "an RSA key of 1024 bits is too weak" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task A_bad_csr_gets_a_400_with_the_reason_and_nothing_is_issued(string kind, int errorCode, string reason)
    {
        using var device = _line.IssueDevice("device-2");
        await _endpoint.AssertAssignedAsync(device);
        var before = await _endpoint.Store.GetRegistrationAsync("device-2");

        var (status, body) = await RequestAsync(device, DpsTopics.Register("bad"), RegisterBody("device-2", BadCsr(kind)));

        Assert.Equal(errorCode / 1000, status);
        using var error = JsonDocument.Parse(body);
        Assert.Equal(errorCode, error.RootElement.GetProperty("errorCode").GetInt32());
        Assert.Contains(reason, error.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await _endpoint.Store.GetRegistrationAsync("device-2"));
        Assert.Empty(IssuedLines());
    }

    [Fact]
    public async Task A_csr_under_an_entry_without_a_policy_is_refused()
    {
        using var other = TestCa.CreateRoot("Other Root");
        using var device = other.IssueDevice("device-3");
        await _endpoint.Store.UploadCaAsync("other", other.Certificate, verified: true);
        await _endpoint.Store.PutGroupAsync("plain", other.Certificate);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var (status, body) = await RequestAsync(device, DpsTopics.Register("p"), RegisterBody("device-3", Csr(key, "device-3")));

        Assert.Equal(400, status);
        Assert.Contains($"\"errorCode\":{IssuanceErrorCodes.NoIssuancePolicy}", body, StringComparison.Ordinal);
        Assert.Contains("'plain' issues no certificates", body, StringComparison.Ordinal);
    }

    private string[] IssuedLines()
    {
        var log = Path.Combine(new IssuerStore(_endpoint.Data.Path).Path, "line-issuer", "issued.jsonl");
        return File.Exists(log) ? [.. File.ReadAllLines(log).Where(l => l.Length > 0)] : [];
    }

    private static string Csr(AsymmetricAlgorithm key, string commonName) =>
        Convert.ToBase64String(CertificationRequest.Create(key, new X500DistinguishedName($"CN={commonName}")).Der.Span);

    private static string BadCsr(string kind)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        switch (kind)
        {
            case "wrong-cn":
                return Csr(key, "device-9");
            case "not-base64":
                return "this is not base64!";
            case "not-a-csr":
                return Convert.ToBase64String([0x30, 0x03, 0x02, 0x01, 0x05]);
            case "bad-signature":
                var der = new CertificateRequest("CN=device-2", key, HashAlgorithmName.SHA256).CreateSigningRequest();
                der[^3] ^= 0x55; // inside the signature value
                return Convert.ToBase64String(der);
            default:
                using (var rsa = RSA.Create(1024))
                    return Convert.ToBase64String(new CertificateRequest("CN=device-2", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSigningRequest());
        }
    }

    private static string RegisterBody(string registrationId, string csr) =>
        JsonSerializer.Serialize(new Dictionary<string, string> { ["registrationId"] = registrationId, ["csr"] = csr });

    // Register with a csr and poll until the operation is decided; returns registrationState.
    private async Task<JsonElement> RegisterWithCsrAsync(TestDevice device, string csr)
    {
        await using var session = await _endpoint.OpenDpsSessionAsync(device);
        var rpc = await DpsSession.StartRequestsAsync(session);
        // Issuing decrypts the issuer's PKCS#8 key (PBKDF2, 600,000 iterations): seconds on a loaded machine.
        var accepted = await rpc.RequestAsync(DpsTopics.Register("r"), "r", Encoding.UTF8.GetBytes(RegisterBody(device.RegistrationId, csr)), TimeSpan.FromSeconds(60), CancellationToken.None);
        var acceptedBody = Encoding.UTF8.GetString(accepted.Payload.Span);
        Assert.True(DpsTopics.TryParseResponse(accepted.Topic, out var status, out _, out _) && status == 202, $"{accepted.Topic}: {acceptedBody}");
        var operationId = JsonDocument.Parse(acceptedBody).RootElement.GetProperty("operationId").GetString()!;
        var polled = await rpc.RequestAsync(DpsTopics.OperationStatus("s", operationId), "s", " "u8.ToArray(), TimeSpan.FromSeconds(10), CancellationToken.None);
        using var document = JsonDocument.Parse(polled.Payload);
        return document.RootElement.GetProperty("registrationState").Clone();
    }

    private async Task<(int Status, string Body)> RequestAsync(TestDevice device, string topic, string body)
    {
        var (responseTopic, responseBody) = await _endpoint.RequestOnceAsync(device, topic, body);
        Assert.True(DpsTopics.TryParseResponse(responseTopic, out var status, out _, out _), responseTopic);
        return (status, responseBody);
    }
}
