using DeviceAgent.Configuration;
using DeviceAgent.Identity;
using DeviceAgent.Provisioning;

namespace DeviceAgent.Tests.Configuration;

/// <summary>
/// provisioning.attestation: "tpm" needs identity.tpm only and refuses certificate keys set beside it;
/// an unknown attestation is refused by name; the HTTPS endpoint defaults to port 443; the registration
/// id is derived from the EK as the SDKs derive it (RFC 4648 base32 of SHA-256, lowercase, unpadded).
/// </summary>
public sealed class ProvisioningSettingsTests
{
    [Fact]
    public void Tpm_attestation_needs_no_key_or_chain_and_refuses_them_when_set()
    {
        Tpm(identity => { }).ValidateForRun("test");

        var chain = Assert.Throws<ConfigurationException>(() => Tpm(identity => identity.Chain = "/etc/chain.pem").ValidateForRun("test"));
        var unknown = Assert.Throws<ConfigurationException>(() => Tpm(_ => { }, attestation: "tmp").ValidateForRun("test"));
        var badTpm = Assert.Throws<ConfigurationException>(() => Tpm(identity => identity.Tpm = "tpm0").ValidateForRun("test"));

        Assert.Contains("remove identity.chain and identity.key", chain.Message, StringComparison.Ordinal);
        Assert.Contains("provisioning.attestation 'tmp' is not \"x509\" or \"tpm\"", unknown.Message, StringComparison.Ordinal);
        Assert.Contains("identity.tpm", badTpm.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "global.azure-devices-provisioning.net", 443)]
    [InlineData("dps.example", "dps.example", 443)]
    [InlineData("localhost:8445", "localhost", 8445)]
    public void The_HTTPS_endpoint_defaults_to_port_443(string? endpoint, string host, int port) =>
        Assert.Equal((host, port), TpmAgentAttestation.ParseEndpoint(endpoint));

    [Fact]
    public void The_registration_id_is_the_unpadded_lowercase_base32_of_the_EKs_SHA_256() =>
        // SHA-256 of no octets is e3b0c442...b855; its RFC 4648 base32 (python3 base64.b32encode).
        Assert.Equal("4oymiquy7qobjgx36tejs35zeqt24qpemsnzgtfeswmrw6csxbkq", TpmAttestationDevice.SuggestRegistrationId([]));

    private static AgentConfiguration Tpm(Action<IdentitySettings> identity, string attestation = "tpm")
    {
        var configuration = new AgentConfiguration
        {
            Identity = new IdentitySettings { Tpm = "swtpm:host=127.0.0.1,port=2321" },
            Provisioning = new ProvisioningSettings { Attestation = attestation, IdScope = "0ne00000001" },
        };
        identity(configuration.Identity);
        return configuration;
    }
}
