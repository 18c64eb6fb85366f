using DeviceAgent.Tpm.Constants;
using DeviceAgent.Tpm.Structures;

namespace DeviceAgent.Tpm;

/// <summary>
/// A TPM entity as a command names it: its handle, its Name (what HMAC sessions bind the command
/// to; for permanent handles, sessions and PCRs the handle itself, Part 1 16) and its auth value
/// (the USER/ADMIN secret, trailing zero octets insignificant). Immutable.
/// </summary>
public sealed class TpmHandle
{
    /// <summary>Creates a handle reference.</summary>
    public TpmHandle(uint value, ReadOnlyMemory<byte>? name = null, ReadOnlyMemory<byte>? authValue = null)
    {
        Value = value;
        Name = name ?? (HasPublicArea(value) ? ReadOnlyMemory<byte>.Empty : ObjectName.OfHandle(value));
        AuthValue = authValue ?? ReadOnlyMemory<byte>.Empty;
    }

    /// <summary>TPM_RH_OWNER with an empty auth value.</summary>
    public static TpmHandle Owner { get; } = new(TpmRh.Owner);

    /// <summary>TPM_RH_ENDORSEMENT with an empty auth value.</summary>
    public static TpmHandle Endorsement { get; } = new(TpmRh.Endorsement);

    /// <summary>TPM_RH_NULL.</summary>
    public static TpmHandle Null { get; } = new(TpmRh.Null);

    /// <summary>The handle.</summary>
    public uint Value { get; }

    /// <summary>The Name (empty when unknown; HMAC sessions need it, password sessions do not).</summary>
    public ReadOnlyMemory<byte> Name { get; }

    /// <summary>The auth value.</summary>
    public ReadOnlyMemory<byte> AuthValue { get; }

    /// <summary>The same handle with an auth value.</summary>
    public TpmHandle WithAuth(ReadOnlyMemory<byte> authValue) => new(Value, Name, authValue);

    /// <summary>The same handle with its Name.</summary>
    public TpmHandle WithName(ReadOnlyMemory<byte> name) => new(Value, name, AuthValue);

    /// <inheritdoc />
    public override string ToString() => $"0x{Value:X8}";

    private static bool HasPublicArea(uint handle) =>
        TpmRh.TypeOf(handle) is TpmHt.Transient or TpmHt.Persistent or TpmHt.NvIndex;
}
