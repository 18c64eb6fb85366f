using DeviceAgent.Tpm.Constants;
using DeviceAgent.Tpm.Provisioning;
using DeviceAgent.Tpm.Sessions;
using DeviceAgent.Tpm.Structures;

namespace DeviceAgent.Tpm.Keys;

/// <summary>
/// A persistent signing key in the TPM and how to authorize it: with no auth value, the password
/// session with an empty password (nothing secret crosses the bus); with one, an HMAC session
/// salted to the SRK, kept for the key's lifetime so each signature is exactly one TPM2_Sign on
/// the wire. Thread-safe (one signature at a time). Dispose flushes the session.
/// </summary>
public sealed class TpmSigningKey : IDisposable
{
    private readonly Tpm2 _tpm;
    private readonly TpmHandle _handle;
    private readonly Lock _lock = new();
    private HmacSession? _session;

    /// <summary>Reads the key's public area.</summary>
    /// <exception cref="TpmException">No such key, or the TPM is unreachable.</exception>
    public TpmSigningKey(Tpm2 tpm, uint persistentHandle, ReadOnlyMemory<byte> authValue)
    {
        _tpm = tpm ?? throw new ArgumentNullException(nameof(tpm));
        var read = tpm.ReadPublic(persistentHandle);
        if ((read.Public.ObjectAttributes & TpmaObject.Sign) == 0 || (read.Public.ObjectAttributes & TpmaObject.Restricted) != 0)
            throw new TpmException($"the TPM object at 0x{persistentHandle:X8} is not an unrestricted signing key (attributes {read.Public.ObjectAttributes})");
        Public = read.Public;
        Name = read.Name;
        _handle = new TpmHandle(persistentHandle, read.Name, authValue);
    }

    /// <summary>The key's public area.</summary>
    public TpmtPublic Public { get; }

    /// <summary>The key's Name.</summary>
    public ReadOnlyMemory<byte> Name { get; }

    /// <summary>The persistent handle.</summary>
    public uint Handle => _handle.Value;

    /// <summary>TPM2_Sign of a digest with the given scheme (ECDSA, RSASSA or RSAPSS) and hash.</summary>
    /// <exception cref="TpmException">The TPM refused (wrong auth value, lockout) or is unreachable.</exception>
    public TpmtSignature Sign(ReadOnlySpan<byte> digest, TpmAlgId scheme, TpmAlgId hashAlg)
    {
        lock (_lock)
        {
            TpmSession session = PasswordSession.Instance;
            if (!_handle.AuthValue.IsEmpty)
            {
                _session ??= _tpm.StartAuthSession(false, (TcgTemplates.SrkHandle, PersistentPrimary.EnsureSrk(_tpm).Public));
                session = _session;
            }
            return _tpm.Sign(_handle, digest, new TpmtScheme(scheme, hashAlg), session);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_lock)
        {
            _session?.Dispose();
            _session = null;
        }
    }
}
