using DeviceAgent.Tpm.Constants;
using DeviceAgent.Tpm.Marshalling;

namespace DeviceAgent.Tpm.Structures;

/// <summary>
/// A ticket: TPMT_TK_CREATION, TPMT_TK_VERIFIED, TPMT_TK_AUTH, TPMT_TK_HASHCHECK (TPM 2.0 Part 2
/// 10.7): tag || hierarchy || TPM2B_DIGEST. A NULL ticket has hierarchy TPM_RH_NULL and no digest.
/// </summary>
public sealed record TpmTicket(TpmSt Tag, uint Hierarchy, ReadOnlyMemory<byte> Digest)
{
    /// <summary>The NULL hash-check ticket TPM2_Sign accepts for an unrestricted key.</summary>
    public static TpmTicket NullHashCheck { get; } = new(TpmSt.HashCheck, TpmRh.Null, ReadOnlyMemory<byte>.Empty);

    /// <summary>Marshals the ticket.</summary>
    public void Write(TpmWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteUInt16((ushort)Tag).WriteUInt32(Hierarchy).WriteTpm2b(Digest.Span);
    }

    /// <summary>Unmarshals a ticket.</summary>
    public static TpmTicket Read(TpmReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return new TpmTicket((TpmSt)reader.ReadUInt16("ticket.tag"), reader.ReadUInt32("ticket.hierarchy"), reader.ReadTpm2b("ticket.digest"));
    }
}
