using System.Security.Cryptography;
using DeviceAgent.Tpm.Constants;
using DeviceAgent.Tpm.Credentials;
using DeviceAgent.Tpm.Structures;

namespace DeviceAgent.Tpm.Tests.Credentials;

/// <summary>DPS's authenticationKey layout: what is written parses back, truncations name the field.</summary>
public sealed class ActivationBlobTests
{
    private static readonly TpmtPublic s_storageKey = StorageKey();

    [Fact]
    public void A_blob_round_trips_through_DPS_bytes_and_carries_an_HMAC_key_object_that_Import_accepts()
    {
        var blob = ActivationBlob.Create(s_storageKey, s_storageKey, RandomNumberGenerator.GetBytes(32));

        var parsed = ActivationBlob.Parse(blob.ToBytes());

        Assert.Equal(blob.CredentialBlob, parsed.CredentialBlob);
        Assert.Equal(blob.Secret, parsed.Secret);
        Assert.Equal(blob.Duplicate, parsed.Duplicate);
        Assert.Equal(blob.InSymSeed, parsed.InSymSeed);
        Assert.Equal(blob.ObjectPublic, parsed.ObjectPublic);
        Assert.Equal(TpmAlgId.KeyedHash, parsed.ObjectPublic.Type);
        Assert.Equal(0u, (uint)(parsed.ObjectPublic.ObjectAttributes & (TpmaObject.FixedTpm | TpmaObject.FixedParent)));
        Assert.Equal(256, parsed.Secret.Length); // RSA 2048 OAEP
    }

    [Theory]
    [InlineData(1, "credentialBlob")]
    [InlineData(300, "secret")]
    public void A_truncated_blob_is_a_format_error_naming_the_field(int keep, string field)
    {
        var bytes = ActivationBlob.Create(s_storageKey, s_storageKey, new byte[32]).ToBytes();

        var error = Assert.Throws<TpmFormatException>(() => ActivationBlob.Parse(bytes.AsMemory(0, keep)));

        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_ECC_endorsement_key_is_refused_with_a_clear_error()
    {
        var ecc = s_storageKey with { Parameters = new TpmsEccParms(TpmtSymDefObject.Aes128Cfb, TpmtScheme.Null, TpmEccCurve.NistP256, TpmtScheme.Null), Unique = TpmsEccPoint.Empty };

        var error = Assert.Throws<TpmFormatException>(() => ActivationBlob.Create(ecc, s_storageKey, new byte[32]));

        Assert.Contains("RSA", error.Message, StringComparison.Ordinal);
    }

    private static TpmtPublic StorageKey()
    {
        using var rsa = RSA.Create(2048);
        return new TpmtPublic(TpmAlgId.Sha256,
            TpmaObject.Restricted | TpmaObject.Decrypt | TpmaObject.FixedTpm | TpmaObject.FixedParent | TpmaObject.SensitiveDataOrigin | TpmaObject.UserWithAuth,
            ReadOnlyMemory<byte>.Empty, new TpmsRsaParms(TpmtSymDefObject.Aes128Cfb, TpmtScheme.Null, 2048), new Tpm2bPublicId(rsa.ExportParameters(false).Modulus));
    }
}
