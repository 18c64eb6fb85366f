using DeviceAgent.Keys.Pkcs11.Native;

namespace DeviceAgent.Keys.Pkcs11;

/// <summary>
/// A session with one token. Not thread-safe: PKCS#11 allows one operation at a time per
/// session; open one session per concurrent user.
/// </summary>
public sealed unsafe partial class Pkcs11Session : IDisposable
{
    private nuint _handle;

    private Pkcs11Session(Pkcs11Slot slot, nuint handle)
    {
        Slot = slot;
        _handle = handle;
    }

    /// <summary>The slot whose token this session talks to.</summary>
    public Pkcs11Slot Slot { get; }

    private CK_FUNCTION_LIST* F => Slot.Module.Functions;

    private nuint Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_handle == 0, this);
            return _handle;
        }
    }

    internal static Pkcs11Session Open(Pkcs11Slot slot, bool readWrite)
    {
        var flags = CKF.CKF_SERIAL_SESSION | (readWrite ? CKF.CKF_RW_SESSION : 0);
        nuint handle;
        Pkcs11Module.Check(slot.Module.Functions->C_OpenSession((nuint)slot.Id, flags, null, null, &handle), "C_OpenSession",
            $"slot {slot.Id}");
        return new Pkcs11Session(slot, handle);
    }

    /// <summary>
    /// Logs the normal user in. Login state is per process and token (PKCS#11 section 6.7.1): once
    /// logged in, every session of this process is.
    /// </summary>
    /// <exception cref="Pkcs11Exception">C_Login failed, e.g. CKR_PIN_INCORRECT or CKR_PIN_LOCKED.</exception>
    public void Login(Pin pin)
    {
        ArgumentNullException.ThrowIfNull(pin);
        var bytes = pin.Utf8;
        nuint rv;
        fixed (byte* p = bytes)
            rv = F->C_Login(Handle, CKU.CKU_USER, p, (nuint)bytes.Length);
        if (rv != CKR.CKR_OK && rv != CKR.CKR_USER_ALREADY_LOGGED_IN)
            throw new Pkcs11Exception("C_Login", rv, $"token '{Slot.GetTokenInfo().Label}'");
    }

    /// <summary>
    /// Logs the user out: of every session of this process with the token (login state is per
    /// process). Not logged in is not an error.
    /// </summary>
    /// <exception cref="Pkcs11Exception">C_Logout failed.</exception>
    public void Logout()
    {
        var rv = F->C_Logout(Handle);
        if (rv != CKR.CKR_OK && rv != CKR.CKR_USER_NOT_LOGGED_IN)
            throw new Pkcs11Exception("C_Logout", rv);
    }

    /// <summary>Fills a buffer with random bytes from the token's generator.</summary>
    /// <exception cref="Pkcs11Exception">C_GenerateRandom failed.</exception>
    public void GenerateRandom(Span<byte> destination)
    {
        fixed (byte* p = destination)
            Pkcs11Module.Check(F->C_GenerateRandom(Handle, p, (nuint)destination.Length), "C_GenerateRandom");
    }

    /// <summary>Destroys a token object.</summary>
    /// <exception cref="Pkcs11Exception">C_DestroyObject failed.</exception>
    public void DestroyObject(Pkcs11ObjectHandle handle) =>
        Pkcs11Module.Check(F->C_DestroyObject(Handle, (nuint)handle.Value), "C_DestroyObject");

    /// <summary>Closes the session. Logging out is left to the process's end (see <see cref="Login"/>).</summary>
    public void Dispose()
    {
        if (_handle == 0)
            return;
        _ = F->C_CloseSession(_handle);
        _handle = 0;
    }
}

/// <summary>A CK_OBJECT_HANDLE, valid within the session that found or created it.</summary>
/// <param name="Value">The handle.</param>
public readonly record struct Pkcs11ObjectHandle(ulong Value);
