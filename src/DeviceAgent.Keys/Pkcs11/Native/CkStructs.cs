using System.Runtime.InteropServices;

namespace DeviceAgent.Keys.Pkcs11.Native;

// PKCS#11 structures with the platform's natural alignment (Linux: no packing pragma).

[StructLayout(LayoutKind.Sequential)]
internal struct CK_VERSION
{
    public byte major;
    public byte minor;

    public override readonly string ToString() => $"{major}.{minor}";
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CK_INFO
{
    public CK_VERSION cryptokiVersion;
    public fixed byte manufacturerID[32];
    public nuint flags;
    public fixed byte libraryDescription[32];
    public CK_VERSION libraryVersion;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CK_SLOT_INFO
{
    public fixed byte slotDescription[64];
    public fixed byte manufacturerID[32];
    public nuint flags;
    public CK_VERSION hardwareVersion;
    public CK_VERSION firmwareVersion;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CK_TOKEN_INFO
{
    public fixed byte label[32];
    public fixed byte manufacturerID[32];
    public fixed byte model[16];
    public fixed byte serialNumber[16];
    public nuint flags;
    public nuint ulMaxSessionCount;
    public nuint ulSessionCount;
    public nuint ulMaxRwSessionCount;
    public nuint ulRwSessionCount;
    public nuint ulMaxPinLen;
    public nuint ulMinPinLen;
    public nuint ulTotalPublicMemory;
    public nuint ulFreePublicMemory;
    public nuint ulTotalPrivateMemory;
    public nuint ulFreePrivateMemory;
    public CK_VERSION hardwareVersion;
    public CK_VERSION firmwareVersion;
    public fixed byte utcTime[16];
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CK_ATTRIBUTE
{
    public nuint type;
    public void* pValue;
    public nuint ulValueLen;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CK_MECHANISM
{
    public nuint mechanism;
    public void* pParameter;
    public nuint ulParameterLen;
}

[StructLayout(LayoutKind.Sequential)]
internal struct CK_RSA_PKCS_PSS_PARAMS
{
    public nuint hashAlg;
    public nuint mgf;
    public nuint sLen;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CK_C_INITIALIZE_ARGS
{
    public void* CreateMutex;
    public void* DestroyMutex;
    public void* LockMutex;
    public void* UnlockMutex;
    public nuint flags;
    public void* pReserved;
}

/// <summary>Blank-padded, fixed-length UTF-8 fields of PKCS#11 structures.</summary>
internal static class CkText
{
    public static unsafe string Read(byte* field, int length)
    {
        var span = new ReadOnlySpan<byte>(field, length);
        return System.Text.Encoding.UTF8.GetString(span).TrimEnd(' ', '\0');
    }
}
