using System.Buffers.Binary;
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
        var (ek, srk) = await CreateEkAndSrkAsync(tpm);
        var key = RandomNumberGenerator.GetBytes(32);
        var blob = ActivationBlob.Parse(ActivationBlob.Create(ek, srk, key).ToBytes());

        var inner = await ActivateAsync(tpm, blob);
        Assert.True(inner.Result.ExitCode == 0, inner.Result.Transcript);
        var imported = await Run(tpm, "tpm2_import", "-C", tpm.At("srk.ctx"), "-u", Write(tpm, "id.pub", Sized(w => blob.ObjectPublic.WriteSized(w))),
            "-i", Write(tpm, "id.dpriv", Sized(w => w.WriteTpm2b(blob.Duplicate))), "-s", Write(tpm, "id.seed", Sized(w => w.WriteTpm2b(blob.InSymSeed))),
            "-k", inner.KeyFile, "-r", tpm.At("id.priv"));
        Assert.True(imported.ExitCode == 0, imported.Transcript);
        await Run(tpm, "tpm2_flushcontext", "-t");
        var loaded = await Run(tpm, "tpm2_load", "-C", tpm.At("srk.ctx"), "-u", tpm.At("id.pub"), "-r", tpm.At("id.priv"), "-c", tpm.At("id.ctx"));
        Assert.True(loaded.ExitCode == 0, loaded.Transcript);
        var data = "0ne00000001/registrations/tpm-device\n1767225600"u8.ToArray();
        var hmac = await Run(tpm, "tpm2_hmac", "-c", tpm.At("id.ctx"), "-g", "sha256", "-o", tpm.At("hmac.bin"), Write(tpm, "data.bin", data));
        Assert.True(hmac.ExitCode == 0, hmac.Transcript);

        Assert.Equal(HMACSHA256.HashData(key, data), File.ReadAllBytes(tpm.At("hmac.bin")));
    }

    [Fact]
    public async Task A_tampered_blob_or_one_for_another_TPMs_EK_fails_inside_the_TPM()
    {
        using var tpm = await Swtpm.StartAsync();
        var (ek, srk) = await CreateEkAndSrkAsync(tpm);
        using var otherEk = RSA.Create(2048);
        var foreign = ek with { Unique = new Tpm2bPublicId(otherEk.ExportParameters(false).Modulus) };
        var good = ActivationBlob.Create(ek, srk, RandomNumberGenerator.GetBytes(32));
        var tamperedCredential = (byte[])good.CredentialBlob.Clone();
        tamperedCredential[^1] ^= 0x01;

        var forForeignEk = await ActivateAsync(tpm, ActivationBlob.Create(foreign, srk, RandomNumberGenerator.GetBytes(32)));
        var tampered = await ActivateAsync(tpm, good with { CredentialBlob = tamperedCredential });

        Assert.NotEqual(0, forForeignEk.Result.ExitCode);
        Assert.NotEqual(0, tampered.Result.ExitCode);
        Assert.Contains("0x", tampered.Result.StandardError, StringComparison.Ordinal); // tpm2-tools names the TPM_RC
    }

    // tpm2_createek (TCG RSA template, policy PolicySecret(endorsement)) and an SRK from the TCG
    // storage template; both public parts as TPM2B_PUBLIC files, as a device would send them.
    private static async Task<(TpmtPublic Ek, TpmtPublic Srk)> CreateEkAndSrkAsync(Swtpm tpm)
    {
        var ek = await Run(tpm, "tpm2_createek", "-c", tpm.At("ek.ctx"), "-G", "rsa", "-u", tpm.At("ek.pub"));
        Assert.True(ek.ExitCode == 0, ek.Transcript);
        await Run(tpm, "tpm2_flushcontext", "-t");
        var srk = await Run(tpm, "tpm2_createprimary", "-C", "o", "-g", "sha256", "-G", "rsa2048:null:aes128cfb",
            "-a", "restricted|decrypt|fixedtpm|fixedparent|sensitivedataorigin|userwithauth|noda", "-c", tpm.At("srk.ctx"));
        Assert.True(srk.ExitCode == 0, srk.Transcript);
        var read = await Run(tpm, "tpm2_readpublic", "-c", tpm.At("srk.ctx"), "-o", tpm.At("srk.pub"));
        Assert.True(read.ExitCode == 0, read.Transcript);
        await Run(tpm, "tpm2_flushcontext", "-t");
        return (ReadPublic(tpm.At("ek.pub")), ReadPublic(tpm.At("srk.pub")));
    }

    // PolicySecret(TPM_RH_ENDORSEMENT) satisfies the EK's policy; tpm2-tools' credential file is
    // 0xBADCC0DE || version 1 || TPM2B_ID_OBJECT || TPM2B_ENCRYPTED_SECRET.
    private static async Task<(ProcessResult Result, string KeyFile)> ActivateAsync(Swtpm tpm, ActivationBlob blob)
    {
        var header = new byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(header, 0xBADCC0DE);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), 1);
        var credential = Write(tpm, "credential.in", [.. header, .. Sized(w => w.WriteTpm2b(blob.CredentialBlob).WriteTpm2b(blob.Secret))]);
        await Run(tpm, "tpm2_startauthsession", "--policy-session", "-S", tpm.At("session.ctx"));
        await Run(tpm, "tpm2_policysecret", "-S", tpm.At("session.ctx"), "-c", "e");
        var result = await Run(tpm, "tpm2_activatecredential", "-c", tpm.At("srk.ctx"), "-C", tpm.At("ek.ctx"), "-i", credential,
            "-o", tpm.At("inner.key"), "-P", $"session:{tpm.At("session.ctx")}");
        await Run(tpm, "tpm2_flushcontext", tpm.At("session.ctx"));
        await Run(tpm, "tpm2_flushcontext", "-t");
        return (result, tpm.At("inner.key"));
    }

    private static TpmtPublic ReadPublic(string path) => TpmtPublic.ReadSized(new TpmReader(File.ReadAllBytes(path), path));

    private static byte[] Sized(Action<TpmWriter> body)
    {
        var writer = new TpmWriter();
        body(writer);
        return writer.ToArray();
    }

    private static string Write(Swtpm tpm, string name, byte[] bytes)
    {
        File.WriteAllBytes(tpm.At(name), bytes);
        return tpm.At(name);
    }

    private static Task<ProcessResult> Run(Swtpm tpm, string tool, params string[] arguments) => tpm.RunToolAsync(tool, arguments);
}

internal static class SwtpmFiles
{
    public static string At(this Swtpm tpm, string name) => Path.Combine(tpm.Directory, name);
}
