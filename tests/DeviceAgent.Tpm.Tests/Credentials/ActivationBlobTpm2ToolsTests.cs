using System.Security.Cryptography;
using DeviceAgent.TestPeers;
using DeviceAgent.Tpm.Credentials;
using DeviceAgent.Tpm.Marshalling;
using DeviceAgent.Tpm.Structures;

namespace DeviceAgent.Tpm.Tests.Credentials;

/// <summary>
/// The independent check of <see cref="ActivationBlob"/>: a blob made in software for swtpm's EK
/// and SRK is activated by tpm2-tools alone (PolicySecret(endorsement) session,
/// TPM2_ActivateCredential, TPM2_Import with the recovered inner key, TPM2_Load, TPM2_HMAC), and
/// the key inside the TPM computes the same HMAC as the key the blob was made for. A tampered
/// blob, or one made for another TPM's EK, fails inside the TPM.
/// </summary>
public sealed class ActivationBlobTpm2ToolsTests
{
    [Fact]
    public async Task A_blob_for_swtpms_EK_and_SRK_activates_and_imports_through_tpm2_tools_and_the_key_HMACs_as_the_software_key()
    {
        using var tpm = await Swtpm.StartAsync();
        var device = await Tpm2ToolsDevice.CreateAsync(tpm);
        var key = RandomNumberGenerator.GetBytes(32);
        var blob = ActivationBlob.Parse(ActivationBlob.Create(Public(device.EndorsementKey), Public(device.StorageRootKey), key).ToBytes());

        var activated = await device.ActivateCredentialAsync(blob.CredentialBlob, blob.Secret);
        Assert.True(activated.ExitCode == 0, activated.Transcript);
        await device.ImportAndLoadAsync("id", Sized(blob.ObjectPublic), blob.Duplicate, blob.InSymSeed);
        var data = "0ne00000001/registrations/tpm-device\n1767225600"u8.ToArray();

        Assert.Equal(HMACSHA256.HashData(key, data), await device.HmacAsync("id", data));
    }

    [Fact]
    public async Task A_tampered_blob_or_one_for_another_TPMs_EK_fails_inside_the_TPM()
    {
        using var tpm = await Swtpm.StartAsync();
        var device = await Tpm2ToolsDevice.CreateAsync(tpm);
        var (ek, srk) = (Public(device.EndorsementKey), Public(device.StorageRootKey));
        using var otherEk = RSA.Create(2048);
        var foreign = ek with { Unique = new Tpm2bPublicId(otherEk.ExportParameters(false).Modulus) };
        var good = ActivationBlob.Create(ek, srk, RandomNumberGenerator.GetBytes(32));
        var tamperedCredential = (byte[])good.CredentialBlob.Clone();
        tamperedCredential[^1] ^= 0x01;
        var forForeign = ActivationBlob.Create(foreign, srk, RandomNumberGenerator.GetBytes(32));

        var forForeignEk = await device.ActivateCredentialAsync(forForeign.CredentialBlob, forForeign.Secret);
        var tampered = await device.ActivateCredentialAsync(tamperedCredential, good.Secret);

        Assert.NotEqual(0, forForeignEk.ExitCode);
        Assert.NotEqual(0, tampered.ExitCode);
        Assert.Contains("0x", tampered.StandardError, StringComparison.Ordinal); // tpm2-tools names the TPM_RC
    }

    private static TpmtPublic Public(byte[] tpm2bPublic) => TpmtPublic.ReadSized(new TpmReader(tpm2bPublic, "TPM2B_PUBLIC"));

    private static byte[] Sized(TpmtPublic key)
    {
        var writer = new TpmWriter();
        key.WriteSized(writer);
        return writer.ToArray();
    }
}
