using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using DeviceAgent.Keys.Pkcs11.Native;

namespace DeviceAgent.Keys.Pkcs11;

/// <summary>
/// A loaded and initialised PKCS#11 module (a Cryptoki library such as libtpm2_pkcs11.so or
/// libsofthsm2.so).
/// </summary>
/// <remarks>
/// PKCS#11 state (initialisation, login) belongs to the process, not to a caller, and every
/// open key (TLS keys included) shares it. A module is therefore loaded once per
/// process and path, and stays initialised for the life of the process: it is never
/// <c>C_Finalize</c>d under a caller's feet. Thread-safe; sessions are not.
/// The module reads its own environment (TPM2_PKCS11_TCTI, TPM2_PKCS11_STORE, SOFTHSM2_CONF)
/// when it is first loaded.
/// </remarks>
public sealed unsafe class Pkcs11Module
{
    private static readonly ConcurrentDictionary<string, Lazy<Pkcs11Module>> s_loaded = new(StringComparer.Ordinal);

    private readonly CK_FUNCTION_LIST* _functions;

    private Pkcs11Module(string path, IntPtr library, CK_FUNCTION_LIST* functions)
    {
        Path = path;
        _ = library; // kept loaded for the process lifetime (see remarks)
        _functions = functions;
        Info = ReadInfo();
    }

    /// <summary>The absolute path of the module file.</summary>
    public string Path { get; }

    /// <summary>What the module says about itself (C_GetInfo).</summary>
    public Pkcs11ModuleInfo Info { get; }

    internal CK_FUNCTION_LIST* Functions => _functions;

    /// <summary>Loads and initialises a module, or returns the one this process already loaded.</summary>
    /// <exception cref="KeyCustodyException">The file is missing (<see cref="KeyCustodyError.ModuleNotFound"/>)
    /// or is not a loadable PKCS#11 module (<see cref="KeyCustodyError.ModuleNotLoadable"/>).</exception>
    /// <exception cref="Pkcs11Exception">C_Initialize failed.</exception>
    public static Pkcs11Module Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = System.IO.Path.GetFullPath(path);
        var lazy = s_loaded.GetOrAdd(fullPath, p => new Lazy<Pkcs11Module>(() => LoadCore(p)));
        try
        {
            return lazy.Value;
        }
        catch
        {
            // A failed load (module missing, TPM unreachable) may succeed later: do not cache it.
            s_loaded.TryRemove(new KeyValuePair<string, Lazy<Pkcs11Module>>(fullPath, lazy));
            throw;
        }
    }

    private static Pkcs11Module LoadCore(string path)
    {
        if (!File.Exists(path))
        {
            throw new KeyCustodyException(KeyCustodyError.ModuleNotFound,
                $"PKCS#11 module '{path}' does not exist; install it (TPM: apt-get install libtpm2-pkcs11-1; " +
                "SoftHSM2: apt-get install softhsm2) or correct the module path");
        }

        IntPtr library;
        try
        {
            library = NativeLibrary.Load(path);
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            throw new KeyCustodyException(KeyCustodyError.ModuleNotLoadable,
                $"PKCS#11 module '{path}' cannot be loaded: {e.Message}", e);
        }

        if (!NativeLibrary.TryGetExport(library, "C_GetFunctionList", out var getFunctionList))
        {
            throw new KeyCustodyException(KeyCustodyError.ModuleNotLoadable,
                $"'{path}' is not a PKCS#11 module: it does not export C_GetFunctionList");
        }

        CK_FUNCTION_LIST* functions = null;
        var rv = ((delegate* unmanaged<CK_FUNCTION_LIST**, nuint>)getFunctionList)(&functions);
        if (rv != CKR.CKR_OK)
            throw new Pkcs11Exception("C_GetFunctionList", rv, path);
        if (functions is null)
            throw new KeyCustodyException(KeyCustodyError.ModuleNotLoadable, $"'{path}' returned no function list");

        var args = new CK_C_INITIALIZE_ARGS { flags = CKF.CKF_OS_LOCKING_OK };
        rv = functions->C_Initialize(&args);
        // Another component of this process (another PKCS#11 user, pkcs11-spy) may have initialised it first.
        if (rv != CKR.CKR_OK && rv != CKR.CKR_CRYPTOKI_ALREADY_INITIALIZED)
            throw new Pkcs11Exception("C_Initialize", rv, path);

        return new Pkcs11Module(path, library, functions);
    }

    /// <summary>The slots of the module, by default only those with a token present.</summary>
    /// <exception cref="Pkcs11Exception">The module failed to enumerate its slots.</exception>
    public IReadOnlyList<Pkcs11Slot> GetSlots(bool tokenPresent = true)
    {
        nuint count = 0;
        Check(_functions->C_GetSlotList(tokenPresent ? (byte)1 : (byte)0, null, &count), "C_GetSlotList");
        var ids = new nuint[count];
        fixed (nuint* p = ids)
            Check(_functions->C_GetSlotList(tokenPresent ? (byte)1 : (byte)0, p, &count), "C_GetSlotList");

        var slots = new List<Pkcs11Slot>((int)count);
        for (var i = 0; i < (int)count; i++)
            slots.Add(new Pkcs11Slot(this, ids[i]));
        return slots;
    }

    /// <summary>Finds the one slot whose token matches the URI's token attributes.</summary>
    /// <exception cref="KeyCustodyException"><see cref="KeyCustodyError.TokenNotFound"/> when none matches,
    /// naming the tokens that are present.</exception>
    public Pkcs11Slot FindSlot(Pkcs11Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var slots = GetSlots();
        var matches = slots.Where(s => uri.MatchesToken(s.Id, s.GetInfo(), s.GetTokenInfo())).ToList();
        if (matches.Count == 1)
            return matches[0];
        var present = slots.Count == 0
            ? "no token is present"
            : "tokens present: " + string.Join(", ", slots.Select(s => $"'{s.GetTokenInfo().Label}' (slot {s.Id})"));
        if (matches.Count == 0)
        {
            throw new KeyCustodyException(KeyCustodyError.TokenNotFound,
                $"no token matches {uri.DescribeToken()} in module '{Path}'; {present}");
        }
        throw new KeyCustodyException(KeyCustodyError.TokenNotFound,
            $"{matches.Count} tokens match {uri.DescribeToken()} in module '{Path}'; add serial= or slot-id= to the URI to pick one; {present}");
    }

    internal static void Check(nuint rv, string function, string? context = null)
    {
        if (rv != CKR.CKR_OK)
            throw new Pkcs11Exception(function, rv, context);
    }

    private Pkcs11ModuleInfo ReadInfo()
    {
        CK_INFO info;
        Check(_functions->C_GetInfo(&info), "C_GetInfo");
        return new Pkcs11ModuleInfo(
            CkText.Read(info.manufacturerID, 32),
            CkText.Read(info.libraryDescription, 32),
            info.libraryVersion.ToString(),
            info.cryptokiVersion.ToString());
    }
}

/// <summary>What a module says about itself (CK_INFO).</summary>
/// <param name="Manufacturer">CK_INFO.manufacturerID.</param>
/// <param name="Description">CK_INFO.libraryDescription.</param>
/// <param name="Version">CK_INFO.libraryVersion.</param>
/// <param name="CryptokiVersion">CK_INFO.cryptokiVersion.</param>
public sealed record Pkcs11ModuleInfo(string Manufacturer, string Description, string Version, string CryptokiVersion);
