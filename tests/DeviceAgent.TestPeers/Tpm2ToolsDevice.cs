using System.Buffers.Binary;

namespace DeviceAgent.TestPeers;

/// <summary>
/// A TPM device driven by tpm2-tools alone, as an independent client of DPS's TPM attestation:
/// the EK (tpm2_createek, TCG RSA template) and an SRK (TCG storage template) in a
/// <see cref="Swtpm"/>, their TPM2B_PUBLIC files, and the device's side of the activation:
/// PolicySecret(endorsement) session, TPM2_ActivateCredential, TPM2_Import, TPM2_Load, TPM2_HMAC.
/// Transient objects are flushed after each tool (the simulator has three slots).
/// </summary>
public sealed class Tpm2ToolsDevice
{
    private readonly Swtpm _tpm;

    private Tpm2ToolsDevice(Swtpm tpm) => _tpm = tpm;

    /// <summary>The EK's TPM2B_PUBLIC (what tpm2_createek -u wrote).</summary>
    public byte[] EndorsementKey => File.ReadAllBytes(At("ek.pub"));

    /// <summary>The SRK's TPM2B_PUBLIC (tpm2_readpublic -o).</summary>
    public byte[] StorageRootKey => File.ReadAllBytes(At("srk.pub"));

    /// <summary>Creates the EK and the SRK.</summary>
    /// <exception cref="InvalidOperationException">A tool failed (its transcript).</exception>
    public static async Task<Tpm2ToolsDevice> CreateAsync(Swtpm tpm)
    {
        ArgumentNullException.ThrowIfNull(tpm);
        var device = new Tpm2ToolsDevice(tpm);
        await device.MustAsync("tpm2_createek", "-c", device.At("ek.ctx"), "-G", "rsa", "-u", device.At("ek.pub"));
        await device.RunAsync("tpm2_flushcontext", "-t");
        await device.MustAsync("tpm2_createprimary", "-C", "o", "-g", "sha256", "-G", "rsa2048:null:aes128cfb",
            "-a", "restricted|decrypt|fixedtpm|fixedparent|sensitivedataorigin|userwithauth|noda", "-c", device.At("srk.ctx"));
        await device.MustAsync("tpm2_readpublic", "-c", device.At("srk.ctx"), "-o", device.At("srk.pub"));
        await device.RunAsync("tpm2_flushcontext", "-t");
        return device;
    }

    /// <summary>
    /// TPM2_ActivateCredential (SRK as activateHandle, EK as keyHandle under PolicySecret(endorsement));
    /// tpm2-tools' credential file is 0xBADCC0DE || version 1 || TPM2B_ID_OBJECT || TPM2B_ENCRYPTED_SECRET.
    /// Returns the tool's result; on success the inner key is in <see cref="InnerKeyFile"/>.
    /// </summary>
    public async Task<ProcessResult> ActivateCredentialAsync(byte[] credentialBlob, byte[] secret)
    {
        ArgumentNullException.ThrowIfNull(credentialBlob);
        ArgumentNullException.ThrowIfNull(secret);
        var file = new byte[8 + 2 + credentialBlob.Length + 2 + secret.Length];
        BinaryPrimitives.WriteUInt32BigEndian(file, 0xBADCC0DE);
        BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(4), 1);
        Tpm2b(credentialBlob).CopyTo(file, 8);
        Tpm2b(secret).CopyTo(file, 10 + credentialBlob.Length);
        await File.WriteAllBytesAsync(At("credential.in"), file);
        await RunAsync("tpm2_startauthsession", "--policy-session", "-S", At("session.ctx"));
        await RunAsync("tpm2_policysecret", "-S", At("session.ctx"), "-c", "e");
        var result = await RunAsync("tpm2_activatecredential", "-c", At("srk.ctx"), "-C", At("ek.ctx"), "-i", At("credential.in"),
            "-o", InnerKeyFile, "-P", $"session:{At("session.ctx")}");
        await RunAsync("tpm2_flushcontext", At("session.ctx"));
        await RunAsync("tpm2_flushcontext", "-t");
        return result;
    }

    /// <summary>Where tpm2_activatecredential wrote the recovered credential (the inner wrapper key).</summary>
    public string InnerKeyFile => At("inner.key");

    /// <summary>TPM2_Import of a duplicate under the SRK with the recovered inner key (AES-128-CFB), then TPM2_Load into <c>name</c>.ctx.</summary>
    /// <exception cref="InvalidOperationException">A tool failed.</exception>
    public async Task ImportAndLoadAsync(string name, byte[] objectPublic, byte[] duplicate, byte[] inSymSeed)
    {
        ArgumentNullException.ThrowIfNull(objectPublic);
        await File.WriteAllBytesAsync(At($"{name}.pub"), objectPublic);
        await File.WriteAllBytesAsync(At($"{name}.dpriv"), Tpm2b(duplicate));
        await File.WriteAllBytesAsync(At($"{name}.seed"), Tpm2b(inSymSeed));
        await MustAsync("tpm2_import", "-C", At("srk.ctx"), "-u", At($"{name}.pub"), "-i", At($"{name}.dpriv"), "-s", At($"{name}.seed"),
            "-k", InnerKeyFile, "-r", At($"{name}.priv"));
        await RunAsync("tpm2_flushcontext", "-t");
        await MustAsync("tpm2_load", "-C", At("srk.ctx"), "-u", At($"{name}.pub"), "-r", At($"{name}.priv"), "-c", At($"{name}.ctx"));
        await RunAsync("tpm2_flushcontext", "-t");
    }

    /// <summary>TPM2_HMAC (SHA-256) of <paramref name="data"/> with the loaded key <c>name</c>.</summary>
    /// <exception cref="InvalidOperationException">The tool failed.</exception>
    public async Task<byte[]> HmacAsync(string name, byte[] data)
    {
        await File.WriteAllBytesAsync(At("data.bin"), data);
        await MustAsync("tpm2_hmac", "-c", At($"{name}.ctx"), "-g", "sha256", "-o", At("hmac.bin"), At("data.bin"));
        await RunAsync("tpm2_flushcontext", "-t");
        return await File.ReadAllBytesAsync(At("hmac.bin"));
    }

    private string At(string name) => Path.Combine(_tpm.Directory, name);

    private static byte[] Tpm2b(byte[] buffer)
    {
        var sized = new byte[2 + buffer.Length];
        BinaryPrimitives.WriteUInt16BigEndian(sized, (ushort)buffer.Length);
        buffer.CopyTo(sized, 2);
        return sized;
    }

    private Task<ProcessResult> RunAsync(string tool, params string[] arguments) => _tpm.RunToolAsync(tool, arguments);

    private async Task MustAsync(string tool, params string[] arguments)
    {
        var result = await RunAsync(tool, arguments);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"{tool} failed: {result.Transcript}");
    }
}
