using System.Security.Cryptography;
using DeviceAgent.Tpm.Constants;
using DeviceAgent.Tpm.Crypto;
using DeviceAgent.Tpm.Marshalling;
using DeviceAgent.Tpm.Structures;

namespace DeviceAgent.Tpm.Sessions;

/// <summary>
/// An HMAC or policy session started with TPM2_StartAuthSession (Part 1 19.6), optionally salted
/// (the session key then depends on a secret only this TPM's salt key can decrypt) and with AES-CFB
/// parameter encryption (Part 1 21): the first command parameter is encrypted when
/// <see cref="EncryptsCommand"/>, the first response parameter when <see cref="EncryptsResponse"/>.
/// Every command's cpHash and every response's rpHash are HMACed with sessionKey || authValue, so
/// a response altered on the bus is detected. Not thread-safe. Dispose flushes it from the TPM.
/// </summary>
public class HmacSession : TpmSession, IDisposable
{
    private readonly Tpm2 _tpm;
    private readonly byte[] _sessionKey;
    private byte[] _nonceCaller;
    private byte[] _nonceTpm;
    private bool _flushed;

    internal HmacSession(Tpm2 tpm, uint handle, TpmAlgId hashAlg, byte[] sessionKey, byte[] nonceCaller, byte[] nonceTpm, TpmtSymDefObject symmetric, TpmaSession attributes)
    {
        _tpm = tpm;
        Handle = handle;
        HashAlg = hashAlg;
        _sessionKey = sessionKey;
        _nonceCaller = nonceCaller;
        _nonceTpm = nonceTpm;
        Symmetric = symmetric;
        Attributes = attributes | TpmaSession.ContinueSession;
    }

    /// <inheritdoc />
    public override uint Handle { get; }

    /// <summary>The session's hash algorithm (authHash).</summary>
    public TpmAlgId HashAlg { get; }

    /// <summary>The parameter-encryption algorithm (AES-128-CFB or NULL).</summary>
    public TpmtSymDefObject Symmetric { get; }

    /// <summary>The attributes sent with each command.</summary>
    public TpmaSession Attributes { get; set; }

    /// <summary>Whether the session was salted (its key depends on a secret only the TPM can decrypt).</summary>
    public bool IsSalted => _sessionKey.Length > 0;

    /// <inheritdoc />
    public override bool EncryptsCommand => (Attributes & TpmaSession.Decrypt) != 0 && Symmetric.Algorithm != TpmAlgId.Null;

    /// <inheritdoc />
    public override bool EncryptsResponse => (Attributes & TpmaSession.Encrypt) != 0 && Symmetric.Algorithm != TpmAlgId.Null;

    /// <summary>Whether the authorized entity's auth value is part of the HMAC key (always for HMAC sessions; PolicyAuthValue for policy sessions).</summary>
    protected virtual bool IncludesAuthValue => true;

    internal override void BeginCommand(Span<byte> firstParameter, TpmHandle? authorized)
    {
        _nonceCaller = RandomNumberGenerator.GetBytes(TpmHash.DigestSize(HashAlg));
        if (EncryptsCommand && firstParameter.Length > 0)
            Cfb(firstParameter, authorized, _nonceCaller, _nonceTpm, encrypt: true);
    }

    internal override void WriteAuthorization(TpmWriter writer, TpmCc command, IReadOnlyList<TpmHandle> handles, ReadOnlySpan<byte> parameters, TpmHandle? authorized)
    {
        // cpHash = H(commandCode || Name1 || Name2 || Name3 || parameters) (Part 1 18.7).
        var cp = new TpmWriter().WriteUInt32((uint)command);
        foreach (var handle in handles)
        {
            if (handle.Name.IsEmpty)
                throw new InvalidOperationException($"an HMAC session needs the Name of handle {handle} (read it with TPM2_ReadPublic)");
            cp.WriteBytes(handle.Name.Span);
        }
        cp.WriteBytes(parameters);
        var cpHash = TpmHash.Hash(HashAlg, cp.WrittenSpan);
        var hmac = Hmac(cpHash, _nonceCaller, _nonceTpm, authorized);
        writer.WriteUInt32(Handle).WriteTpm2b(_nonceCaller).WriteUInt8((byte)Attributes).WriteTpm2b(hmac);
    }

    internal override void ReadAuthorization(TpmReader reader, TpmCc command, ReadOnlySpan<byte> parameters, TpmHandle? authorized)
    {
        _nonceTpm = reader.ReadTpm2b("TPMS_AUTH_RESPONSE.nonce");
        var attributes = reader.ReadUInt8("TPMS_AUTH_RESPONSE.sessionAttributes");
        var hmac = reader.ReadTpm2b("TPMS_AUTH_RESPONSE.hmac");
        // rpHash = H(responseCode || commandCode || parameters) (Part 1 18.8), responseCode = 0.
        var rp = new TpmWriter().WriteUInt32(0).WriteUInt32((uint)command).WriteBytes(parameters);
        var rpHash = TpmHash.Hash(HashAlg, rp.WrittenSpan);
        var expected = Hmac(rpHash, _nonceTpm, _nonceCaller, authorized, attributes);
        if (!CryptographicOperations.FixedTimeEquals(expected, hmac))
            throw new TpmException($"TPM2_{command}: the response HMAC of session 0x{Handle:X8} does not verify: the response was altered between the TPM and this process");
    }

    internal override void EndCommand(Span<byte> firstResponseParameter, TpmHandle? authorized)
    {
        if (firstResponseParameter.Length > 0)
            Cfb(firstResponseParameter, authorized, _nonceTpm, _nonceCaller, encrypt: false);
    }

    /// <summary>The TPM's latest nonce (PolicySecret binds to it).</summary>
    public ReadOnlyMemory<byte> NonceTpm => _nonceTpm;

    /// <summary>Flushes the session from the TPM (TPM2_FlushContext).</summary>
    public void Dispose()
    {
        if (_flushed)
            return;
        _flushed = true;
        GC.SuppressFinalize(this);
        try
        {
            _tpm.FlushContext(Handle);
        }
        catch (TpmException)
        {
            // Already gone (the TPM flushes a session whose continueSession was clear) or unreachable.
        }
    }

    // authHMAC = HMAC(sessionKey || authValue, pHash || nonceNewer || nonceOlder || sessionAttributes) (Part 1 19.6.5).
    private byte[] Hmac(byte[] pHash, byte[] nonceNewer, byte[] nonceOlder, TpmHandle? authorized, byte? attributes = null)
    {
        var data = new TpmWriter().WriteBytes(pHash).WriteBytes(nonceNewer).WriteBytes(nonceOlder).WriteUInt8(attributes ?? (byte)Attributes);
        return TpmHash.Hmac(HashAlg, HmacKey(authorized), data.WrittenSpan);
    }

    private byte[] HmacKey(TpmHandle? authorized)
    {
        var auth = IncludesAuthValue && authorized is not null ? TrimTrailingZeros(authorized.AuthValue.Span) : [];
        return [.. _sessionKey, .. auth];
    }

    // Part 1 21.4: KDFa(hashAlg, sessionKey || authValue, "CFB", nonceNewer, nonceOlder, keyBits + 128) = key || iv.
    private void Cfb(Span<byte> data, TpmHandle? authorized, byte[] nonceNewer, byte[] nonceOlder, bool encrypt)
    {
        var keyBytes = Symmetric.KeyBits / 8;
        var material = Kdf.KdfA(HashAlg, HmacKey(authorized), "CFB", nonceNewer, nonceOlder, Symmetric.KeyBits + 128);
        using var aes = Aes.Create();
        aes.Key = material[..keyBytes];
        var iv = material[keyBytes..];
        // CFB is a stream mode: pad to whole blocks, transform, keep the original length.
        var padded = new byte[(data.Length + 15) / 16 * 16];
        data.CopyTo(padded);
        var output = encrypt ? aes.EncryptCfb(padded, iv, PaddingMode.None, 128) : aes.DecryptCfb(padded, iv, PaddingMode.None, 128);
        output.AsSpan(0, data.Length).CopyTo(data);
    }

    private static byte[] TrimTrailingZeros(ReadOnlySpan<byte> value)
    {
        var length = value.Length;
        while (length > 0 && value[length - 1] == 0)
            length--;
        return value[..length].ToArray();
    }
}

/// <summary>A policy session (TPM_SE_POLICY): authorizes by the policy it accumulated, not by the auth value.</summary>
public sealed class PolicySession : HmacSession
{
    internal PolicySession(Tpm2 tpm, uint handle, TpmAlgId hashAlg, byte[] sessionKey, byte[] nonceCaller, byte[] nonceTpm, TpmtSymDefObject symmetric, TpmaSession attributes)
        : base(tpm, handle, hashAlg, sessionKey, nonceCaller, nonceTpm, symmetric, attributes)
    {
    }

    /// <inheritdoc />
    protected override bool IncludesAuthValue => false;
}
