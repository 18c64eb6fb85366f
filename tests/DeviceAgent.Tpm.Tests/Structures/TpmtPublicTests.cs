using System.Security.Cryptography;
using DeviceAgent.Tpm.Constants;
using DeviceAgent.Tpm.Marshalling;
using DeviceAgent.Tpm.Structures;

namespace DeviceAgent.Tpm.Tests.Structures;

public sealed class TpmtPublicTests
{
    // TCG EK Credential Profile 2.0, template L-1 (RSA 2048): attributes 0x000300B2, the
    // PolicySecret(TPM_RH_ENDORSEMENT) digest, AES-128-CFB, NULL scheme, 2048 bits, exponent 0,
    // unique = 256 zero octets.
    private const string EkRsaTemplate =
        "0001000B000300B20020837197674484B3F81A90CC8D46A5D724FD52D76E06520B64F2A1DA1B331469AA"
        + "00060080004300100800000000000100";

    public static TheoryData<string, string> Structures() => new()
    {
        { "RSA EK template L-1", EkRsaTemplate + new string('0', 512) },
        // ECC P-256 signing key: fixedTPM|fixedParent|sensitiveDataOrigin|userWithAuth|sign, ECDSA-SHA256, NULL kdf.
        { "ECC P-256 signing key", "0023000B000400720000" + "0010" + "0018000B" + "0003" + "0010" + "0020" + new string('1', 64) + "0020" + new string('2', 64) },
        // ECC with an ECDAA scheme (hash + count).
        { "ECC ECDAA scheme", "0023000B000400720000" + "0010" + "001A000B0007" + "0003" + "0010" + "00000000" },
        // RSA storage key with RSAES scheme (no details) and explicit exponent.
        { "RSA RSAES", "0001000B00030072000000100015" + "0C00" + "00010001" + "0002ABCD" },
        // KEYEDHASH HMAC-SHA256 key.
        { "KEYEDHASH HMAC", "0008000B000400720000" + "0005000B" + "0000" },
        // KEYEDHASH XOR (hash + kdf).
        { "KEYEDHASH XOR", "0008000B000400720000" + "000A000B0022" + "0000" },
        // SYMCIPHER AES-128-CFB.
        { "SYMCIPHER", "0025000B000300720000" + "000600800043" + "0000" },
    };

    [Theory]
    [MemberData(nameof(Structures))]
    public void Round_trips(string description, string hex)
    {
        var bytes = Convert.FromHexString(hex);
        var parsed = TpmtPublic.Parse(bytes);
        Assert.Equal(hex, Convert.ToHexString(parsed.ToBytes()));
        var sized = new TpmWriter();
        parsed.WriteSized(sized);
        var reader = new TpmReader(sized.ToArray());
        Assert.Equal(parsed, TpmtPublic.ReadSized(reader));
        reader.ExpectEnd();
        Assert.NotEmpty(description);
    }

    [Fact]
    public void Parses_the_ek_template_fields()
    {
        var ek = TpmtPublic.Parse(Convert.FromHexString(EkRsaTemplate + new string('0', 512)));
        Assert.Equal(TpmAlgId.Rsa, ek.Type);
        Assert.Equal(TpmAlgId.Sha256, ek.NameAlg);
        Assert.Equal(TpmaObject.FixedTpm | TpmaObject.FixedParent | TpmaObject.SensitiveDataOrigin | TpmaObject.AdminWithPolicy
            | TpmaObject.Restricted | TpmaObject.Decrypt, ek.ObjectAttributes);
        var rsa = Assert.IsType<TpmsRsaParms>(ek.Parameters);
        Assert.Equal(TpmtSymDefObject.Aes128Cfb, rsa.Symmetric);
        Assert.Equal(TpmtScheme.Null, rsa.Scheme);
        Assert.Equal(2048, rsa.KeyBits);
        Assert.Equal(256, Assert.IsType<Tpm2bPublicId>(ek.Unique).Buffer.Length);
    }

    [Fact]
    public void Name_is_the_name_alg_then_the_digest_of_the_public_area()
    {
        var bytes = Convert.FromHexString(EkRsaTemplate + new string('0', 512));
        var name = TpmtPublic.Parse(bytes).Name();
        Assert.Equal("000B" + Convert.ToHexString(SHA256.HashData(bytes)), Convert.ToHexString(name));
    }

    public static TheoryData<string, string> Malformed() => new()
    {
        { "empty", "" },
        { "unknown type", "0099000B00000000" + "0000" },
        { "truncated policy", "0001000B000300B20020" + "8371" },
        { "truncated unique", EkRsaTemplate + "00" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_public_areas_are_refused(string description, string hex)
    {
        var error = Assert.Throws<TpmFormatException>(() => TpmtPublic.Parse(Convert.FromHexString(hex)));
        Assert.Contains("TPMT_PUBLIC", error.Message, StringComparison.Ordinal);
        Assert.NotEmpty(description);
    }

    [Fact]
    public void Tpm2b_public_with_trailing_bytes_is_refused()
    {
        var inner = Convert.FromHexString("0025000B000300720000000600800043" + "0000" + "FF");
        var sized = new TpmWriter().WriteTpm2b(inner).ToArray();
        Assert.Throws<TpmFormatException>(() => TpmtPublic.ReadSized(new TpmReader(sized)));
    }

    [Fact]
    public void Ecc_public_converts_to_a_dotnet_key()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var q = key.ExportParameters(false).Q;
        var template = new TpmtPublic(TpmAlgId.Sha256, TpmaObject.Sign, ReadOnlyMemory<byte>.Empty,
            new TpmsEccParms(TpmtSymDefObject.Null, new TpmtScheme(TpmAlgId.EcDsa, TpmAlgId.Sha256), TpmEccCurve.NistP256, TpmtScheme.Null),
            new TpmsEccPoint(q.X, q.Y));
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), template.ExportSubjectPublicKeyInfo());
    }
}
