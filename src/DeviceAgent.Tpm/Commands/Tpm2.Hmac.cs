using DeviceAgent.Tpm.Constants;
using DeviceAgent.Tpm.Marshalling;
using DeviceAgent.Tpm.Sessions;
using DeviceAgent.Tpm.Structures;

namespace DeviceAgent.Tpm;

/// <summary>HMAC with a loaded KEYEDHASH key, at once or as a sequence (Part 3 15 and 17).</summary>
public sealed partial class Tpm2
{
    /// <summary>TPM2_HMAC (Part 3 15.5): HMAC of up to TPM_PT_INPUT_BUFFER (1024) bytes.</summary>
    public byte[] Hmac(TpmHandle key, ReadOnlySpan<byte> buffer, TpmAlgId hashAlg, TpmSession? session = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        var reader = Execute(TpmCc.Hmac, [key], 1, new TpmWriter().WriteTpm2b(buffer).WriteUInt16((ushort)hashAlg).ToArray(), out _, 0, Sessions(session));
        var result = reader.ReadTpm2b("outHMAC");
        reader.ExpectEnd();
        return result;
    }

    /// <summary>TPM2_HMAC_Start (Part 3 17.2): starts an HMAC sequence; the sequence object takes an object slot until completed.</summary>
    public uint HmacStart(TpmHandle key, ReadOnlySpan<byte> sequenceAuth, TpmAlgId hashAlg, TpmSession? session = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        Execute(TpmCc.HmacStart, [key], 1, new TpmWriter().WriteTpm2b(sequenceAuth).WriteUInt16((ushort)hashAlg).ToArray(), out var handles, 1, Sessions(session));
        return handles[0];
    }

    /// <summary>TPM2_SequenceUpdate (Part 3 17.5): adds up to 1024 bytes to a sequence.</summary>
    public void SequenceUpdate(TpmHandle sequence, ReadOnlySpan<byte> buffer, TpmSession? session = null)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        Execute(TpmCc.SequenceUpdate, [sequence], 1, new TpmWriter().WriteTpm2b(buffer).ToArray(), out _, 0, Sessions(session));
    }

    /// <summary>TPM2_SequenceComplete (Part 3 17.6): the last bytes and the result; the sequence object is flushed.</summary>
    public byte[] SequenceComplete(TpmHandle sequence, ReadOnlySpan<byte> buffer, uint hierarchy = TpmRh.Null, TpmSession? session = null)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        var reader = Execute(TpmCc.SequenceComplete, [sequence], 1, new TpmWriter().WriteTpm2b(buffer).WriteUInt32(hierarchy).ToArray(), out _, 0, Sessions(session));
        var result = reader.ReadTpm2b("result");
        TpmTicket.Read(reader);
        reader.ExpectEnd();
        return result;
    }

    /// <summary>HMAC of any length: TPM2_HMAC for one buffer, else an HMAC sequence in 1024-byte pieces.</summary>
    public byte[] HmacAll(TpmHandle key, ReadOnlySpan<byte> data, TpmAlgId hashAlg)
    {
        ArgumentNullException.ThrowIfNull(key);
        const int piece = 1024;
        if (data.Length <= piece)
            return Hmac(key, data, hashAlg);
        var sequence = new TpmHandle(HmacStart(key, [], hashAlg));
        var offset = 0;
        for (; data.Length - offset > piece; offset += piece)
            SequenceUpdate(sequence, data.Slice(offset, piece));
        return SequenceComplete(sequence, data[offset..]);
    }
}
