using DeviceAgent.Tpm.Constants;
using DeviceAgent.Tpm.Marshalling;
using DeviceAgent.Tpm.Structures;

namespace DeviceAgent.Tpm;

/// <summary>TPMS_NV_PUBLIC (Part 2 13.5) and the index's Name.</summary>
public sealed record NvPublic(uint NvIndex, TpmAlgId NameAlg, uint Attributes, ReadOnlyMemory<byte> AuthPolicy, ushort DataSize, ReadOnlyMemory<byte> Name);

/// <summary>Non-volatile storage (Part 3 31): reading indices such as the EK certificate.</summary>
public sealed partial class Tpm2
{
    /// <summary>The NV index of the RSA 2048 EK certificate (TCG EK Credential Profile 2.2.1.4).</summary>
    public const uint EkCertificateRsaIndex = 0x01C00002;

    /// <summary>The NV index of the ECC P-256 EK certificate.</summary>
    public const uint EkCertificateEccIndex = 0x01C0000A;

    // TPM_PT_NV_BUFFER_MAX (PT_FIXED + 44).
    private const uint PtNvBufferMax = 0x0000012C;

    /// <summary>TPM2_NV_ReadPublic (Part 3 31.6).</summary>
    /// <exception cref="TpmResponseException">TPM_RC_HANDLE: the index is not defined.</exception>
    public NvPublic NvReadPublic(uint nvIndex)
    {
        var reader = Execute(TpmCc.NvReadPublic, [new TpmHandle(nvIndex)], 0, [], out _);
        var inner = reader.ReadSized("TPM2B_NV_PUBLIC");
        var index = inner.ReadUInt32("nvIndex");
        var nameAlg = (TpmAlgId)inner.ReadUInt16("nameAlg");
        var attributes = inner.ReadUInt32("attributes");
        var policy = inner.ReadTpm2b("authPolicy");
        var size = inner.ReadUInt16("dataSize");
        inner.ExpectEnd();
        var name = reader.ReadTpm2b("nvName");
        reader.ExpectEnd();
        return new NvPublic(index, nameAlg, attributes, policy, size, name);
    }

    /// <summary>
    /// TPM2_NV_Read (Part 3 31.13) of a whole index, in chunks of TPM_PT_NV_BUFFER_MAX, authorized
    /// by <paramref name="auth"/> (the owner for an OWNERREAD index such as the EK certificate's).
    /// </summary>
    public byte[] NvRead(TpmHandle auth, uint nvIndex)
    {
        ArgumentNullException.ThrowIfNull(auth);
        var pub = NvReadPublic(nvIndex);
        var chunk = (int)Math.Min(GetProperty(PtNvBufferMax) ?? 512, 1024);
        var data = new byte[pub.DataSize];
        var index = new TpmHandle(nvIndex, pub.Name);
        for (var offset = 0; offset < data.Length; offset += chunk)
        {
            var size = (ushort)Math.Min(chunk, data.Length - offset);
            var reader = Execute(TpmCc.NvRead, [auth, index], 1, new TpmWriter().WriteUInt16(size).WriteUInt16((ushort)offset).ToArray(), out _);
            var part = reader.ReadTpm2b("data");
            if (part.Length != size)
                throw new TpmFormatException($"TPM2_NV_Read of index 0x{nvIndex:X8} returned {part.Length} byte(s), {size} asked");
            part.CopyTo(data, offset);
        }
        return data;
    }

    /// <summary>Computes an NV index's Name (Part 1 16): nameAlg || H(TPMS_NV_PUBLIC).</summary>
    public static byte[] NvName(NvPublic nvPublic)
    {
        ArgumentNullException.ThrowIfNull(nvPublic);
        var writer = new TpmWriter().WriteUInt32(nvPublic.NvIndex).WriteUInt16((ushort)nvPublic.NameAlg).WriteUInt32(nvPublic.Attributes)
            .WriteTpm2b(nvPublic.AuthPolicy.Span).WriteUInt16(nvPublic.DataSize);
        return ObjectName.Compute(nvPublic.NameAlg, writer.WrittenSpan);
    }
}
