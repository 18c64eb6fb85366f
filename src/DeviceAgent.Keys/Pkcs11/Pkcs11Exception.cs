using DeviceAgent.Keys.Pkcs11.Native;

namespace DeviceAgent.Keys.Pkcs11;

/// <summary>
/// A PKCS#11 function returned an error. Carries the C function and the CKR name as the
/// specification spells them, plus a hint for the return values an operator can act on.
/// </summary>
public sealed class Pkcs11Exception : KeyCustodyException
{
    internal Pkcs11Exception(string function, nuint returnValue, string? context = null)
        : base(ErrorOf(returnValue), Describe(function, returnValue, context))
    {
        Function = function;
        ReturnValue = (ulong)returnValue;
        ReturnValueName = CKR.Name(returnValue);
    }

    /// <summary>The PKCS#11 function that failed, e.g. <c>C_Login</c>.</summary>
    public string Function { get; } = "";

    /// <summary>The CK_RV it returned.</summary>
    public ulong ReturnValue { get; }

    /// <summary>The specification's name of <see cref="ReturnValue"/>, e.g. <c>CKR_PIN_INCORRECT</c>.</summary>
    public string ReturnValueName { get; } = "";

    private static KeyCustodyError ErrorOf(nuint rv) => rv switch
    {
        0xA0 or 0xA1 or 0xA2 or 0xA3 or 0xA4 => KeyCustodyError.PinRejected,
        0xE0 or 0xE1 or 0x3 or 0x32 => KeyCustodyError.TokenNotFound,
        _ => KeyCustodyError.TokenOperationFailed,
    };

    private static string Describe(string function, nuint rv, string? context)
    {
        var text = $"{function} failed: {CKR.Name(rv)}";
        if (!string.IsNullOrEmpty(context))
            text += $" ({context})";
        var hint = Hint(function, rv);
        return hint is null ? text : $"{text}; {hint}";
    }

    private static string? Hint(string function, nuint rv) => rv switch
    {
        0xA0 => "the PIN is wrong: check the PIN file or variable (each wrong attempt counts toward the token's lockout)",
        0xA4 => "the user PIN is locked after too many wrong attempts: the token's security officer must reset it",
        0xA3 => "the PIN has expired: set a new one with the token's tools",
        0xE0 => "the token is not present: check that the device (TPM, HSM) is attached and its driver loaded",
        0x30 => "the device reported an error: for a TPM check /dev/tpmrm0 (or the TCTI) and the kernel log",
        0x32 => "the device was removed during the operation",
        0x101 => "the session is not logged in: a PIN is required for private keys",
        0x5 when function == "C_Initialize" =>
            "the module could not initialise: for tpm2-pkcs11 the TPM is unreachable (check TPM2_PKCS11_TCTI, /dev/tpmrm0 permissions, tpm2-abrmd) or its store is missing (TPM2_PKCS11_STORE)",
        0x5 or 0x6 => "the token failed internally: its own log (stderr; for tpm2-pkcs11 the TSS lines) names the cause, " +
            "e.g. a TPM resource manager out of object slots or a TPM in dictionary-attack lockout",
        0x54 => "the token does not implement this function",
        0x70 => "the token does not support this mechanism",
        0x140 => "the token does not support this elliptic curve",
        0x62 => "the token does not support this key size",
        _ => null,
    };
}
