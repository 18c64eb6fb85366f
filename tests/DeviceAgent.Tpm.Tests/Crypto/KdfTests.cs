using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using DeviceAgent.Tpm.Constants;
using DeviceAgent.Tpm.Crypto;

namespace DeviceAgent.Tpm.Tests.Crypto;

public sealed class KdfTests
{
    // .NET's SP800-108 counter-mode KDF is an independent implementation of the same construction
    // ([i]32 || Label || 00 || Context || [L]32), with Context = contextU || contextV.
    [Theory]
    [InlineData(TpmAlgId.Sha256, "STORAGE", 128)]
    [InlineData(TpmAlgId.Sha256, "INTEGRITY", 256)]
    [InlineData(TpmAlgId.Sha256, "CFB", 256 + 128)]
    [InlineData(TpmAlgId.Sha1, "ATH", 160)]
    [InlineData(TpmAlgId.Sha384, "IDENTITY", 1024)]
    public void KdfA_matches_sp800_108_counter_mode(TpmAlgId hashAlg, string label, int bits)
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var u = RandomNumberGenerator.GetBytes(34);
        var v = RandomNumberGenerator.GetBytes(20);
        var expected = SP800108HmacCounterKdf.DeriveBytes(key, TpmHash.NameOf(hashAlg), Encoding.ASCII.GetBytes(label), u.Concat(v).ToArray(), bits / 8);
        Assert.Equal(expected, Kdf.KdfA(hashAlg, key, label, u, v, bits));
    }

    [Fact]
    public void KdfA_masks_the_unused_high_bits()
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var value = Kdf.KdfA(TpmAlgId.Sha256, key, "TEST", [], [], 13);
        Assert.Equal(2, value.Length);
        Assert.Equal(0, value[0] & 0xE0);
    }

    // ECDiffieHellman.DeriveKeyFromHash computes H(prepend || Z || append): one KDFe block each.
    [Fact]
    public void KdfE_matches_the_concatenation_kdf_over_an_ecdh_secret()
    {
        using var ours = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        using var theirs = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var partyU = RandomNumberGenerator.GetBytes(32);
        var partyV = RandomNumberGenerator.GetBytes(32);
        var append = Encoding.ASCII.GetBytes("SECRET\0").Concat(partyU).Concat(partyV).ToArray();
        byte[] Block(uint counter)
        {
            var prefix = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(prefix, counter);
            return ours.DeriveKeyFromHash(theirs.PublicKey, HashAlgorithmName.SHA256, prefix, append);
        }
        var z = ours.DeriveRawSecretAgreement(theirs.PublicKey);
        var derived = Kdf.KdfE(TpmAlgId.Sha256, z, "SECRET", partyU, partyV, 384);
        Assert.Equal([.. Block(1), .. Block(2)[..16]], derived);
    }
}
