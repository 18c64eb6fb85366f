using DeviceAgent.Tpm.Constants;
using DeviceAgent.Tpm.Marshalling;

namespace DeviceAgent.Tpm;

/// <summary>Start-up, capabilities and random numbers.</summary>
public sealed partial class Tpm2
{
    private const uint CapHandles = 0x00000001;
    private const uint CapTpmProperties = 0x00000006;

    /// <summary>TPM2_Startup (Part 3 9.3); TPM_RC_INITIALIZE from a TPM that already ran it is not an error.</summary>
    /// <param name="clear">TPM_SU_CLEAR (true) or TPM_SU_STATE.</param>
    public void Startup(bool clear = true)
    {
        try
        {
            Execute(TpmCc.Startup, new TpmWriter().WriteUInt16(clear ? (ushort)0 : (ushort)1).ToArray());
        }
        catch (TpmResponseException ex) when (ex.Code == TpmRc.Initialize)
        {
        }
    }

    /// <summary>
    /// TPM2_SelfTest (Part 3 10.2) with fullTest = YES: tests every algorithm now, so the first use
    /// of one later does not answer TPM_RC_TESTING and cost a second command on the wire.
    /// </summary>
    public void SelfTest() => Execute(TpmCc.SelfTest, [1]);

    /// <summary>TPM2_Shutdown (Part 3 9.4).</summary>
    public void Shutdown(bool clear = true) =>
        Execute(TpmCc.Shutdown, new TpmWriter().WriteUInt16(clear ? (ushort)0 : (ushort)1).ToArray());

    /// <summary>TPM2_GetRandom (Part 3 16.1): up to a digest's size per call; asks again until <paramref name="count"/> bytes arrived.</summary>
    public byte[] GetRandom(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var result = new List<byte>(count);
        while (result.Count < count)
        {
            var want = (ushort)Math.Min(32, count - result.Count);
            var bytes = Execute(TpmCc.GetRandom, new TpmWriter().WriteUInt16(want).ToArray()).ReadTpm2b("randomBytes");
            if (bytes.Length == 0)
                throw new TpmFormatException("TPM2_GetRandom returned no bytes");
            result.AddRange(bytes);
        }
        return [.. result.Take(count)];
    }

    /// <summary>TPM2_GetCapability (Part 3 30.2) for TPM_CAP_HANDLES: the handles of one type in use, in order.</summary>
    public IReadOnlyList<uint> GetHandles(TpmHt type)
    {
        var handles = new List<uint>();
        var next = (uint)type << 24;
        while (true)
        {
            var reader = Execute(TpmCc.GetCapability, new TpmWriter().WriteUInt32(CapHandles).WriteUInt32(next).WriteUInt32(64).ToArray());
            var more = reader.ReadUInt8("moreData") != 0;
            reader.ReadUInt32("capability");
            var count = reader.ReadUInt32("TPML_HANDLE.count");
            for (var i = 0; i < count; i++)
            {
                var handle = reader.ReadUInt32("TPML_HANDLE.handle");
                if (TpmRh.TypeOf(handle) != type)
                    return handles;
                handles.Add(handle);
                next = handle + 1;
            }
            if (!more || count == 0)
                return handles;
        }
    }

    /// <summary>TPM2_GetCapability (Part 3 30.2) for TPM_CAP_TPM_PROPERTIES: one TPM_PT value, or null when the TPM does not report it.</summary>
    public uint? GetProperty(uint property)
    {
        var reader = Execute(TpmCc.GetCapability, new TpmWriter().WriteUInt32(CapTpmProperties).WriteUInt32(property).WriteUInt32(1).ToArray());
        reader.ReadUInt8("moreData");
        reader.ReadUInt32("capability");
        var count = reader.ReadUInt32("TPML_TAGGED_TPM_PROPERTY.count");
        if (count == 0)
            return null;
        var tag = reader.ReadUInt32("TPMS_TAGGED_PROPERTY.property");
        var value = reader.ReadUInt32("TPMS_TAGGED_PROPERTY.value");
        return tag == property ? value : null;
    }
}
