using System.Security.Cryptography;
using DeviceAgent.Keys;
using DeviceAgent.TestPeers;
using DeviceAgent.Tpm.Constants;
using DeviceAgent.Tpm.Keys;
using DeviceAgent.Tpm.Marshalling;
using DeviceAgent.Tpm.Provisioning;
using DeviceAgent.Tpm.Structures;
using DeviceAgent.Tpm.Transport;

namespace DeviceAgent.Tpm.Tests.Keys;

/// <summary>fvt: the tpm: backend against a real swtpm; tpm2-tools and openssl are the independent peers.</summary>
public sealed class TpmKeyBackendTests(SwtpmFixture fixture) : IClassFixture<SwtpmFixture>
{
    private TpmSpec Spec => TpmSpec.Parse(fixture.Simulator.Spec);

    private TpmKeyBackend Backend(Func<ITpmTransport, ITpmTransport>? decorate = null)
    {
        fixture.Transport.Close();
        return new TpmKeyBackend(Spec, decorate);
    }

    [Fact]
    public async Task A_key_ours_makes_is_read_by_tpm2_readpublic_with_the_same_key_and_attributes()
    {
        var reference = KeyReference.Parse("tpm:handle=0x81000101");
        DevicePublicKey created;
        using (var backend = Backend())
            created = backend.CreateKey(reference, KeyAlgorithm.EcP256);
        var pem = Path.Combine(fixture.Simulator.Directory, "readpublic.pem");
        var result = await fixture.RunToolAsync("tpm2_readpublic", "-c", "0x81000101", "-f", "pem", "-o", pem);
        Assert.True(result.ExitCode == 0, result.Transcript);
        Assert.Contains("raw: 0x40072", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("fixedtpm|fixedparent|sensitivedataorigin|userwithauth|sign", result.StandardOutput, StringComparison.Ordinal);
        using var theirs = ECDsa.Create();
        theirs.ImportFromPem(await File.ReadAllTextAsync(pem));
        Assert.True(created.SameKeyAs(theirs.ExportSubjectPublicKeyInfo()));
        using (var backend = Backend())
        {
            var error = Assert.Throws<KeyCustodyException>(() => backend.CreateKey(reference, KeyAlgorithm.EcP256));
            Assert.Equal(KeyCustodyError.KeyAlreadyExists, error.Error);
            Assert.Equal(TcgTemplates.DeviceKeyAttributes, backend.ReadAttributes(reference));
        }
    }

    [Fact]
    public async Task A_signature_ours_makes_verifies_with_openssl()
    {
        var reference = KeyReference.Parse("tpm:handle=0x81000102");
        var data = RandomNumberGenerator.GetBytes(500);
        byte[] signature;
        byte[] spki;
        using (var backend = Backend())
        {
            spki = backend.CreateKey(reference, KeyAlgorithm.EcP256).SubjectPublicKeyInfo.ToArray();
            using var key = (ECDsa)backend.OpenPrivateKey(reference);
            signature = key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
            Assert.Throws<CryptographicException>(() => key.ExportParameters(true));
        }
        var dir = fixture.Simulator.Directory;
        await File.WriteAllBytesAsync(Path.Combine(dir, "data"), data);
        await File.WriteAllBytesAsync(Path.Combine(dir, "sig"), signature);
        using (var pub = ECDsa.Create())
        {
            pub.ImportSubjectPublicKeyInfo(spki, out _);
            await File.WriteAllTextAsync(Path.Combine(dir, "pub.pem"), pub.ExportSubjectPublicKeyInfoPem());
        }
        var result = await ExternalProcess.RunAsync(ExternalProcess.Require("openssl", "openssl"),
            ["dgst", "-sha256", "-verify", "pub.pem", "-signature", "sig", "data"], workingDirectory: dir);
        Assert.True(result.ExitCode == 0 && result.StandardOutput.Contains("Verified OK", StringComparison.Ordinal), result.Transcript);
    }

    [Fact]
    public async Task An_object_tpm2_create_made_loads_in_ours()
    {
        using (var backend = Backend())
            PersistentPrimary.EnsureSrk(backend.Tpm);
        var result = await fixture.RunToolAsync("tpm2_create", "-C", "0x81000001", "-G", "ecc256:ecdsa-sha256", "-u", "key.pub", "-r", "key.priv");
        Assert.True(result.ExitCode == 0, result.Transcript);
        var dir = fixture.Simulator.Directory;
        var pub = TpmtPublic.ReadSized(new TpmReader(await File.ReadAllBytesAsync(Path.Combine(dir, "key.pub")), "key.pub"));
        var priv = new TpmReader(await File.ReadAllBytesAsync(Path.Combine(dir, "key.priv")), "key.priv").ReadTpm2b("TPM2B_PRIVATE");
        using var backend2 = Backend();
        var tpm = backend2.Tpm;
        var srk = tpm.ReadPublic(TcgTemplates.SrkHandle);
        var (handle, name) = tpm.Load(new TpmHandle(TcgTemplates.SrkHandle, srk.Name), priv, pub);
        using var key = new TransientObject(tpm, handle, name);
        Assert.Equal(pub.Name(), name.ToArray());
        var digest = SHA256.HashData("from tpm2-tools"u8);
        var signature = tpm.Sign(key.ToHandle(), digest, TpmtScheme.Null);
        using var verifier = ECDsa.Create(pub.ToEcParameters());
        Assert.True(verifier.VerifyHash(digest, signature.ToP1363(32)));
    }

    [Fact]
    public void One_signature_is_exactly_one_tpm2_sign_on_the_wire()
    {
        var reference = KeyReference.Parse("tpm:handle=0x81000103");
        CountingTransport? counter = null;
        using var backend = Backend(t => counter = new CountingTransport(t));
        backend.CreateKey(reference, KeyAlgorithm.EcP256);
        using var key = (ECDsa)backend.OpenPrivateKey(reference);
        // swtpm answers the first TPM2_Sign after the key's NV write with TPM_RC_RETRY (counted apart).
        key.SignHash(new byte[32]);
        counter!.Reset();
        for (var i = 0; i < 10; i++)
            key.SignHash(SHA256.HashData([(byte)i]));
        var counts = string.Join(", ", counter.Snapshot().Select(kv => $"{kv.Key}={kv.Value}"));
        Assert.True(counter.CountOf(TpmCc.Sign) == 10 && counter.Total == 10 && counter.BusyResponses == 0, counts);
    }

    [Fact]
    public void A_key_with_an_auth_value_signs_through_a_salted_session_and_refuses_a_wrong_pin()
    {
        var pinFile = Path.Combine(fixture.Simulator.Directory, "pin");
        File.WriteAllText(pinFile, "1234");
        var reference = KeyReference.Parse("tpm:handle=0x81000104", pin: PinSource.FromFile(pinFile));
        using (var backend = Backend())
        {
            var created = backend.CreateKey(reference, KeyAlgorithm.EcP256);
            using var key = (ECDsa)backend.OpenPrivateKey(reference);
            var hash = SHA256.HashData("x"u8);
            Assert.True(created.VerifyHash(hash, key.SignHash(hash)));
        }
        File.WriteAllText(pinFile, "9999");
        using (var backend = Backend())
        {
            using var key = (ECDsa)backend.OpenPrivateKey(reference);
            var error = Assert.Throws<CryptographicException>(() => key.SignHash(new byte[32]));
            Assert.Contains("TPM_RC_AUTH_FAIL", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_missing_key_is_a_key_not_found_with_the_command_to_create_it()
    {
        using var backend = Backend();
        var error = Assert.Throws<KeyCustodyException>(() => backend.GetPublicKey(KeyReference.Parse("tpm:handle=0x81000199")));
        Assert.Equal(KeyCustodyError.KeyNotFound, error.Error);
        Assert.Contains("bringup device create --tpm", error.Message, StringComparison.Ordinal);
    }
}
