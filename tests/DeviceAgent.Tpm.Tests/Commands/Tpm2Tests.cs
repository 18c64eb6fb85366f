using System.Security.Cryptography;
using DeviceAgent.Tpm.Constants;
using DeviceAgent.Tpm.Provisioning;
using DeviceAgent.Tpm.Sessions;
using DeviceAgent.Tpm.Structures;

namespace DeviceAgent.Tpm.Tests.Commands;

/// <summary>fvt: our commands against a real swtpm, tpm2-tools as the independent client.</summary>
public sealed class Tpm2Tests(SwtpmFixture fixture) : IClassFixture<SwtpmFixture>
{
    private Tpm2 Tpm => fixture.Tpm;

    [Fact]
    public void GetRandom_returns_the_bytes_asked_for()
    {
        var bytes = Tpm.GetRandom(100);
        Assert.Equal(100, bytes.Length);
        Assert.NotEqual(new byte[100], bytes);
    }

    [Fact]
    public void Startup_on_a_started_tpm_is_not_an_error() => Tpm.Startup();

    [Fact]
    public void Srk_and_ek_are_created_once_and_then_reused()
    {
        var srk = PersistentPrimary.EnsureSrk(Tpm);
        var again = PersistentPrimary.EnsureSrk(Tpm);
        Assert.Equal(srk.Name.ToArray(), again.Name.ToArray());
        Assert.Equal(TcgTemplates.SrkAttributes, srk.Public.ObjectAttributes);
        var ek = PersistentPrimary.EnsureEk(Tpm);
        Assert.Equal(TcgTemplates.EkAttributes, ek.Public.ObjectAttributes);
        Assert.Equal(TcgTemplates.EkPolicy.ToArray(), ek.Public.AuthPolicy.ToArray());
        Assert.Contains(TcgTemplates.SrkHandle, Tpm.GetHandles(TpmHt.Persistent));
        Assert.Contains(TcgTemplates.EkHandle, Tpm.GetHandles(TpmHt.Persistent));
        Assert.Equal(0, fixture.LoadedTransients());
    }

    [Fact]
    public async Task Ek_name_matches_what_tpm2_readpublic_computes()
    {
        var ek = PersistentPrimary.EnsureEk(Tpm);
        var result = await fixture.RunToolAsync("tpm2_readpublic", "-c", $"0x{TcgTemplates.EkHandle:X8}");
        Assert.True(result.ExitCode == 0, result.Transcript);
        Assert.Contains("name: " + Convert.ToHexString(ek.Name.Span).ToLowerInvariant(), result.StandardOutput, StringComparison.Ordinal);
        // Our own Name computation over the public area agrees with the TPM's.
        Assert.Equal(ek.Name.ToArray(), ek.Public.Name());
    }

    [Fact]
    public void Response_codes_name_the_handle_and_explain()
    {
        var error = Assert.Throws<TpmResponseException>(() => Tpm.ReadPublic(0x81FFFFF0));
        Assert.Equal(TpmRc.Handle, error.Code);
        Assert.Equal(1, error.ResponseCode.Handle);
        Assert.Contains("TPM2_ReadPublic failed: TPM_RC_HANDLE (0x18B) on handle 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_auth_value_is_a_bad_auth_on_session_1()
    {
        var srk = PersistentPrimary.EnsureSrk(Tpm);
        var srkHandle = new TpmHandle(TcgTemplates.SrkHandle, srk.Name);
        var created = Tpm.Create(srkHandle, TcgTemplates.DeviceKeyEccP256 with { ObjectAttributes = TcgTemplates.DeviceKeyAttributes | TpmaObject.NoDa }, "right"u8);
        var (handle, name) = Tpm.Load(srkHandle, created.Private.Span, created.Public);
        using var key = new TransientObject(Tpm, handle, name);
        var error = Assert.Throws<TpmResponseException>(() => Tpm.Sign(key.ToHandle("wrong"u8.ToArray()), new byte[32], new TpmtScheme(TpmAlgId.EcDsa, TpmAlgId.Sha256)));
        Assert.Equal(TpmRc.BadAuth, error.Code);
        Assert.Equal(1, error.ResponseCode.Session);
        Tpm.Sign(key.ToHandle("right"u8.ToArray()), new byte[32], new TpmtScheme(TpmAlgId.EcDsa, TpmAlgId.Sha256));
    }

    [Fact]
    public void Salted_sessions_with_parameter_encryption_carry_an_auth_value()
    {
        var srk = PersistentPrimary.EnsureSrk(Tpm);
        var ek = PersistentPrimary.EnsureEk(Tpm);
        var srkHandle = new TpmHandle(TcgTemplates.SrkHandle, srk.Name);
        // ECDH salt (SRK) for the creation, RSA-OAEP salt (EK) for the signature.
        TpmtPublic pub;
        byte[] priv;
        using (var session = Tpm.StartAuthSession(false, (TcgTemplates.SrkHandle, srk.Public), TpmtSymDefObject.Aes128Cfb, TpmaSession.Decrypt | TpmaSession.Encrypt))
        {
            Assert.True(session.IsSalted);
            var created = Tpm.Create(srkHandle, TcgTemplates.DeviceKeyEccP256, "secret-pin"u8, session);
            (priv, pub) = (created.Private.ToArray(), created.Public);
        }
        var (handle, name) = Tpm.Load(srkHandle, priv, pub);
        using var key = new TransientObject(Tpm, handle, name);
        using var hmac = Tpm.StartAuthSession(false, (TcgTemplates.EkHandle, ek.Public));
        var digest = SHA256.HashData("hello"u8);
        var signature = Tpm.Sign(key.ToHandle("secret-pin"u8.ToArray()), digest, new TpmtScheme(TpmAlgId.EcDsa, TpmAlgId.Sha256), hmac);
        using var verifier = ECDsa.Create(pub.ToEcParameters());
        Assert.True(verifier.VerifyHash(digest, signature.ToP1363(32)));
        // The TPM verifies it too.
        Tpm.VerifySignature(handle, digest, signature);
    }

    [Fact]
    public void Hmac_key_matches_dotnet_hmac_at_once_and_as_a_sequence()
    {
        var srk = PersistentPrimary.EnsureSrk(Tpm);
        var srkHandle = new TpmHandle(TcgTemplates.SrkHandle, srk.Name);
        var template = new TpmtPublic(TpmAlgId.Sha256, TpmaObject.FixedTpm | TpmaObject.FixedParent | TpmaObject.UserWithAuth | TpmaObject.Sign,
            ReadOnlyMemory<byte>.Empty, new TpmsKeyedHashParms(new TpmtScheme(TpmAlgId.Hmac, TpmAlgId.Sha256)), Tpm2bPublicId.Empty);
        var secret = RandomNumberGenerator.GetBytes(32);
        var created = Tpm.Create(srkHandle, template, sensitiveData: secret);
        var (handle, name) = Tpm.Load(srkHandle, created.Private.Span, created.Public);
        using var key = new TransientObject(Tpm, handle, name);
        var data = RandomNumberGenerator.GetBytes(3000);
        Assert.Equal(HMACSHA256.HashData(secret, data.AsSpan(0, 100)), Tpm.Hmac(key.ToHandle(), data.AsSpan(0, 100), TpmAlgId.Sha256));
        Assert.Equal(HMACSHA256.HashData(secret, data), Tpm.HmacAll(key.ToHandle(), data, TpmAlgId.Sha256));
        Assert.Equal(1, fixture.LoadedTransients());
    }

    [Fact]
    public void Context_save_and_load_frees_and_restores_a_slot()
    {
        var srk = PersistentPrimary.EnsureSrk(Tpm);
        var srkHandle = new TpmHandle(TcgTemplates.SrkHandle, srk.Name);
        var created = Tpm.Create(srkHandle, TcgTemplates.DeviceKeyEccP256);
        var (handle, _) = Tpm.Load(srkHandle, created.Private.Span, created.Public);
        var saved = Tpm.ContextSave(handle);
        Tpm.FlushContext(handle);
        var restored = Tpm.ContextLoad(saved);
        Assert.Equal(created.Public, Tpm.ReadPublic(restored).Public);
        Tpm.FlushContext(restored);
    }

    [Fact]
    public void Many_operations_never_exhaust_the_three_object_slots()
    {
        var srk = PersistentPrimary.EnsureSrk(Tpm);
        var srkHandle = new TpmHandle(TcgTemplates.SrkHandle, srk.Name);
        var created = Tpm.Create(srkHandle, TcgTemplates.DeviceKeyEccP256);
        for (var i = 0; i < 20; i++)
        {
            var (handle, name) = Tpm.Load(srkHandle, created.Private.Span, created.Public);
            using var key = new TransientObject(Tpm, handle, name);
            Tpm.Sign(key.ToHandle(), new byte[32], new TpmtScheme(TpmAlgId.EcDsa, TpmAlgId.Sha256));
            using var session = Tpm.StartAuthSession(false, (TcgTemplates.SrkHandle, srk.Public));
        }
        Assert.Equal(0, fixture.LoadedTransients());
        Assert.Empty(Tpm.GetHandles(TpmHt.HmacSession));
    }
}
