using DeviceAgent.Tpm.Constants;
using DeviceAgent.Tpm.Marshalling;

namespace DeviceAgent.Tpm.Sessions;

/// <summary>
/// The password authorization session TPM_RS_PW (Part 1 19.8.4): the auth value crosses the bus
/// in clear text. Use an <see cref="HmacSession"/> with parameter encryption when the bus may be
/// sniffed and the auth value is not empty. Stateless, thread-safe.
/// </summary>
public sealed class PasswordSession : TpmSession
{
    /// <summary>The password session; the auth value comes from the authorized handle.</summary>
    public static PasswordSession Instance { get; } = new();

    /// <inheritdoc />
    public override uint Handle => TpmRh.Password;

    internal override void WriteAuthorization(TpmWriter writer, TpmCc command, IReadOnlyList<TpmHandle> handles, ReadOnlySpan<byte> parameters, TpmHandle? authorized)
    {
        writer.WriteUInt32(Handle).WriteTpm2b([]).WriteUInt8((byte)TpmaSession.ContinueSession);
        writer.WriteTpm2b(authorized is null ? [] : authorized.AuthValue.Span);
    }

    internal override void ReadAuthorization(TpmReader reader, TpmCc command, ReadOnlySpan<byte> parameters, TpmHandle? authorized)
    {
        reader.ReadTpm2b("TPMS_AUTH_RESPONSE.nonce");
        reader.ReadUInt8("TPMS_AUTH_RESPONSE.sessionAttributes");
        reader.ReadTpm2b("TPMS_AUTH_RESPONSE.hmac");
    }
}
