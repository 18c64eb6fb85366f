using DeviceAgent.Tpm.Constants;
using DeviceAgent.Tpm.Marshalling;

namespace DeviceAgent.Tpm.Sessions;

/// <summary>
/// An authorization session as one command uses it (TPM 2.0 Part 1 19): it writes its
/// TPMS_AUTH_COMMAND, may encrypt the first command parameter, checks the TPMS_AUTH_RESPONSE
/// and may decrypt the first response parameter. Not thread-safe: a session is used by one
/// command at a time.
/// </summary>
public abstract class TpmSession
{
    /// <summary>The session handle (TPM_RS_PW for the password session).</summary>
    public abstract uint Handle { get; }

    /// <summary>Whether this session encrypts the first command parameter.</summary>
    public virtual bool EncryptsCommand => false;

    /// <summary>Whether this session has the TPM encrypt the first response parameter.</summary>
    public virtual bool EncryptsResponse => false;

    /// <summary>Prepares the session for a command: new caller nonce, parameter encryption in place.</summary>
    internal virtual void BeginCommand(Span<byte> firstParameter, TpmHandle? authorized) { }

    /// <summary>Writes TPMS_AUTH_COMMAND (Part 2 10.13.2) for the command with this cpHash input.</summary>
    internal abstract void WriteAuthorization(TpmWriter writer, TpmCc command, IReadOnlyList<TpmHandle> handles, ReadOnlySpan<byte> parameters, TpmHandle? authorized);

    /// <summary>Reads and checks TPMS_AUTH_RESPONSE (Part 2 10.13.3), then decrypts the first response parameter in place.</summary>
    /// <exception cref="TpmException">The response HMAC does not verify (the response was altered).</exception>
    internal abstract void ReadAuthorization(TpmReader reader, TpmCc command, ReadOnlySpan<byte> parameters, TpmHandle? authorized);

    /// <summary>Decrypts the first response parameter (after <see cref="ReadAuthorization"/> verified the HMAC).</summary>
    internal virtual void EndCommand(Span<byte> firstResponseParameter, TpmHandle? authorized) { }
}
