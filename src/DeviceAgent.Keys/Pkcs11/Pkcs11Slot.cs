using DeviceAgent.Keys.Pkcs11.Native;

namespace DeviceAgent.Keys.Pkcs11;

/// <summary>A slot of a module; a token may or may not be present in it.</summary>
public sealed unsafe class Pkcs11Slot
{
    internal Pkcs11Slot(Pkcs11Module module, nuint id)
    {
        Module = module;
        Id = (ulong)id;
    }

    /// <summary>The module the slot belongs to.</summary>
    public Pkcs11Module Module { get; }

    /// <summary>CK_SLOT_ID.</summary>
    public ulong Id { get; }

    /// <summary>Reads CK_SLOT_INFO.</summary>
    /// <exception cref="Pkcs11Exception">C_GetSlotInfo failed.</exception>
    public Pkcs11SlotInfo GetInfo()
    {
        CK_SLOT_INFO info;
        Pkcs11Module.Check(Module.Functions->C_GetSlotInfo((nuint)Id, &info), "C_GetSlotInfo");
        return new Pkcs11SlotInfo(
            CkText.Read(info.slotDescription, 64),
            CkText.Read(info.manufacturerID, 32),
            (info.flags & CKF.CKF_TOKEN_PRESENT) != 0,
            (info.flags & CKF.CKF_HW_SLOT) != 0);
    }

    /// <summary>Reads CK_TOKEN_INFO.</summary>
    /// <exception cref="Pkcs11Exception">C_GetTokenInfo failed (e.g. CKR_TOKEN_NOT_PRESENT).</exception>
    public Pkcs11TokenInfo GetTokenInfo()
    {
        CK_TOKEN_INFO info;
        Pkcs11Module.Check(Module.Functions->C_GetTokenInfo((nuint)Id, &info), "C_GetTokenInfo");
        return new Pkcs11TokenInfo(
            CkText.Read(info.label, 32),
            CkText.Read(info.manufacturerID, 32),
            CkText.Read(info.model, 16),
            CkText.Read(info.serialNumber, 16),
            Flags: (ulong)info.flags,
            MinPinLength: (int)info.ulMinPinLen,
            MaxPinLength: (int)Math.Min((ulong)info.ulMaxPinLen, int.MaxValue));
    }

    /// <summary>Opens a session with the token in this slot.</summary>
    /// <param name="readWrite">A read/write session, needed to create or destroy token objects.</param>
    /// <exception cref="Pkcs11Exception">C_OpenSession failed.</exception>
    public Pkcs11Session OpenSession(bool readWrite = false) => Pkcs11Session.Open(this, readWrite);
}

/// <summary>CK_SLOT_INFO.</summary>
/// <param name="Description">slotDescription.</param>
/// <param name="Manufacturer">manufacturerID.</param>
/// <param name="TokenPresent">CKF_TOKEN_PRESENT.</param>
/// <param name="HardwareSlot">CKF_HW_SLOT.</param>
public sealed record Pkcs11SlotInfo(string Description, string Manufacturer, bool TokenPresent, bool HardwareSlot);

/// <summary>CK_TOKEN_INFO.</summary>
/// <param name="Label">label.</param>
/// <param name="Manufacturer">manufacturerID.</param>
/// <param name="Model">model.</param>
/// <param name="SerialNumber">serialNumber.</param>
/// <param name="Flags">flags (CKF_*).</param>
/// <param name="MinPinLength">ulMinPinLen.</param>
/// <param name="MaxPinLength">ulMaxPinLen.</param>
public sealed record Pkcs11TokenInfo(string Label, string Manufacturer, string Model, string SerialNumber,
    ulong Flags, int MinPinLength, int MaxPinLength)
{
    /// <summary>CKF_LOGIN_REQUIRED.</summary>
    public bool LoginRequired => (Flags & CKF.CKF_LOGIN_REQUIRED) != 0;

    /// <summary>CKF_TOKEN_INITIALIZED.</summary>
    public bool Initialized => (Flags & CKF.CKF_TOKEN_INITIALIZED) != 0;

    /// <summary>CKF_USER_PIN_INITIALIZED.</summary>
    public bool UserPinInitialized => (Flags & CKF.CKF_USER_PIN_INITIALIZED) != 0;

    /// <summary>CKF_USER_PIN_LOCKED.</summary>
    public bool UserPinLocked => (Flags & CKF.CKF_USER_PIN_LOCKED) != 0;

    /// <summary>CKF_USER_PIN_FINAL_TRY: one more wrong PIN locks the token.</summary>
    public bool UserPinFinalTry => (Flags & CKF.CKF_USER_PIN_FINAL_TRY) != 0;

    /// <summary>CKF_USER_PIN_COUNT_LOW: a wrong PIN was entered recently.</summary>
    public bool UserPinCountLow => (Flags & CKF.CKF_USER_PIN_COUNT_LOW) != 0;
}
