using System.Security.Cryptography;
using DeviceAgent.Tpm.Credentials;
using DeviceAgent.Tpm.Provisioning;
using DeviceAgent.Tpm.Structures;

namespace DeviceAgent.Tpm.Tests.Credentials;

/// <summary>
/// Our stack's side of DPS TPM attestation against swtpm: a blob made in software (as the endpoint
/// makes it) for the TPM's EK and RSA SRK is recovered inside the TPM (PolicySecret, ActivateCredential,
/// Import, Load, EvictControl) and TPM2_HMAC with the persistent key equals the software HMAC; a second
/// import replaces the first; a tampered or foreign blob fails inside the TPM with a TpmException.
/// </summary>
public sealed class TpmAuthenticationKeyTests(SwtpmFixture fixture) : IClassFixture<SwtpmFixture>
{
    private static readonly byte[] s_data = "0ne00000001/registrations/tpm-device\n1767225600"u8.ToArray();

    [Fact]
    public void A_blob_for_this_TPM_is_recovered_inside_it_and_a_second_one_replaces_the_first()
    {
        var tpm = fixture.Tpm;
        var (ek, srk) = TpmAuthenticationKey.EnsurePrimaries(tpm);
        var first = RandomNumberGenerator.GetBytes(32);
        var second = RandomNumberGenerator.GetBytes(32);

        TpmAuthenticationKey.Import(tpm, ActivationBlob.Create(ek.Public, srk.Public, first).ToBytes());
        var signedFirst = TpmAuthenticationKey.Sign(tpm, s_data);
        TpmAuthenticationKey.Import(tpm, ActivationBlob.Create(ek.Public, srk.Public, second).ToBytes());
        var signedSecond = TpmAuthenticationKey.Sign(tpm, s_data);

        Assert.Equal(HMACSHA256.HashData(first, s_data), signedFirst);
        Assert.Equal(HMACSHA256.HashData(second, s_data), signedSecond);
        Assert.Equal(TcgTemplates.EkRsa2048.Name(), (ek.Public with { Unique = TcgTemplates.EkRsa2048.Unique }).Name());
        Assert.Equal(0, fixture.LoadedTransients());
    }

    [Fact]
    public void A_tampered_blob_or_one_for_another_EK_fails_inside_the_TPM_with_a_clear_error()
    {
        var tpm = fixture.Tpm;
        var (ek, srk) = TpmAuthenticationKey.EnsurePrimaries(tpm);
        using var other = RSA.Create(2048);
        var foreign = ActivationBlob.Create(ek.Public with { Unique = new Tpm2bPublicId(other.ExportParameters(false).Modulus) }, srk.Public,
            RandomNumberGenerator.GetBytes(32));
        var good = ActivationBlob.Create(ek.Public, srk.Public, RandomNumberGenerator.GetBytes(32));
        var tamperedDuplicate = (byte[])good.Duplicate.Clone();
        tamperedDuplicate[^1] ^= 0x01;

        var forForeign = Assert.ThrowsAny<TpmException>(() => TpmAuthenticationKey.Import(tpm, foreign.ToBytes()));
        var tampered = Assert.ThrowsAny<TpmException>(() => TpmAuthenticationKey.Import(tpm, (good with { Duplicate = tamperedDuplicate }).ToBytes()));
        var truncated = Assert.Throws<TpmFormatException>(() => TpmAuthenticationKey.Import(tpm, good.ToBytes().AsMemory(0, 40)));

        Assert.Contains("TPM2_ActivateCredential", forForeign.Message, StringComparison.Ordinal);
        Assert.Contains("not made for this TPM's EK and SRK", forForeign.Message, StringComparison.Ordinal);
        Assert.Contains("TPM2_Import", tampered.Message, StringComparison.Ordinal);
        Assert.Contains("DPS authenticationKey", truncated.Message, StringComparison.Ordinal);
        Assert.Equal(0, fixture.LoadedTransients());
    }
}
