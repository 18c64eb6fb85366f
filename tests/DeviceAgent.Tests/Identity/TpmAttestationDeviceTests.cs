using DeviceAgent.Identity;
using DeviceAgent.Pki.Tls;
using DeviceAgent.Provisioning;
using DeviceAgent.Provisioning.Client;
using DeviceAgent.Provisioning.Tpm;
using DeviceAgent.TestPeers;
using DeviceAgent.Tests.Support;
using DeviceAgent.Tpm.Transport;
using ProvisioningEndpoint.Model;

namespace DeviceAgent.Tests.Identity;

/// <summary>
/// A challenge the TPM must refuse, from the real endpoint (a process) to a real swtpm: one made for
/// another TPM (device B presents A's enrolled EK with its own SRK: B's EK cannot open the seed) and
/// one altered on the way (a flipped octet of the credential). Both fail inside the TPM, at
/// TPM2_ActivateCredential, as a ProvisioningException that names the step and the likely cause.
/// </summary>
public sealed class TpmAttestationDeviceTests : IAsyncLifetime
{
    private EndpointProcess _endpoint = null!;

    public async Task InitializeAsync() => _endpoint = await EndpointProcess.StartAsync();

    public async Task DisposeAsync() => await _endpoint.DisposeAsync();

    [Fact]
    public async Task A_foreign_or_tampered_challenge_fails_inside_the_TPM_with_a_clear_error()
    {
        using var tpmA = await Swtpm.StartAsync();
        using var tpmB = await Swtpm.StartAsync();
        using var a = TpmAttestationDevice.Open(TpmSpec.Parse(tpmA.Spec));
        using var b = TpmAttestationDevice.Open(TpmSpec.Parse(tpmB.Spec));
        await _endpoint.Store.PutIndividualEnrollmentAsync(new IndividualEnrollment("device-a", [], null, ProvisioningStatus.Enabled, null,
            AllocationSettings.Default, Etags.New(), DateTimeOffset.UtcNow, DateTimeOffset.UtcNow) { EndorsementKey = a.EndorsementKey }, null);

        var foreign = await Assert.ThrowsAsync<ProvisioningException>(() => RegisterAsync(new Presenting(b, a.EndorsementKey, tamper: false)));
        var tampered = await Assert.ThrowsAsync<ProvisioningException>(() => RegisterAsync(new Presenting(a, null, tamper: true)));

        foreach (var refused in new[] { foreign, tampered })
        {
            Assert.False(refused.IsTransient);
            Assert.Contains("the TPM refused DPS's authentication key at TPM2_ActivateCredential", refused.Message, StringComparison.Ordinal);
            Assert.Contains("made for another TPM", refused.LikelyCause, StringComparison.Ordinal);
        }
        Assert.False(a.HasAuthenticationKey);
        Assert.False(b.HasAuthenticationKey);
    }

    private Task<DpsRegistrationResult> RegisterAsync(IDpsTpmDevice device)
    {
        var colon = _endpoint.DeviceHttpsEndpoint.LastIndexOf(':');
        var (host, port) = (_endpoint.DeviceHttpsEndpoint[..colon], int.Parse(_endpoint.DeviceHttpsEndpoint[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        var trust = TlsServerTrust.FromPemFile(_endpoint.ServerCaPath);
        var client = new DpsTpmClient(host, port, async ct => await MutualTlsConnector.ConnectAsync(host, port, null, trust, ct));
        return client.RegisterAsync(_endpoint.IdScope, "device-a", device, null, CancellationToken.None);
    }

    // A real TPM presenting another EK, or whose challenge is altered before it reaches the TPM.
    private sealed class Presenting(TpmAttestationDevice tpm, byte[]? endorsementKey, bool tamper) : IDpsTpmDevice
    {
        public byte[] EndorsementKey => endorsementKey ?? tpm.EndorsementKey;

        public byte[] StorageRootKey => tpm.StorageRootKey;

        public void ImportAuthenticationKey(byte[] authenticationKey)
        {
            var blob = (byte[])authenticationKey.Clone();
            if (tamper)
                blob[40] ^= 0x01; // in the credential's encIdentity (after its size, the integrity HMAC's size and 32 octets)
            tpm.ImportAuthenticationKey(blob);
        }

        public byte[] Sign(byte[] data) => tpm.Sign(data);
    }
}
