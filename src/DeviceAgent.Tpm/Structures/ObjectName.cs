using System.Buffers.Binary;
using DeviceAgent.Tpm.Constants;
using DeviceAgent.Tpm.Crypto;

namespace DeviceAgent.Tpm.Structures;

/// <summary>
/// TPM2B_NAME values (TPM 2.0 Part 1 16; Part 2 10.5.3): for an object or NV index,
/// nameAlg || H_nameAlg(public area); for a permanent handle, session or PCR, the handle itself.
/// </summary>
public static class ObjectName
{
    /// <summary>nameAlg (UINT16, big-endian) || H_nameAlg(marshalled public area).</summary>
    /// <exception cref="TpmFormatException">nameAlg is not a supported hash.</exception>
    public static byte[] Compute(TpmAlgId nameAlg, ReadOnlySpan<byte> marshalledPublic)
    {
        var digest = TpmHash.Hash(nameAlg, marshalledPublic);
        var name = new byte[2 + digest.Length];
        BinaryPrimitives.WriteUInt16BigEndian(name, (ushort)nameAlg);
        digest.CopyTo(name, 2);
        return name;
    }

    /// <summary>The Name of a handle that has no public area (hierarchy, session, PCR): its four big-endian octets.</summary>
    public static byte[] OfHandle(uint handle)
    {
        var name = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(name, handle);
        return name;
    }
}
