using DeviceAgent.Tpm.Constants;

namespace DeviceAgent.Tpm;

/// <summary>
/// The TPM answered a command with a response code other than TPM_RC_SUCCESS. The message names
/// the command, the code (TPM 2.0 Part 2 6.6), the handle, parameter or session it applies to, and
/// what it means for an operator (dictionary-attack lockout, a missing Startup, an object-slot
/// shortage).
/// </summary>
public sealed class TpmResponseException : TpmException
{
    /// <summary>Creates the exception for <paramref name="command"/>'s response code.</summary>
    public TpmResponseException(TpmCc command, TpmResponseCode responseCode)
        : base(Describe(command, responseCode))
    {
        Command = command;
        ResponseCode = responseCode;
    }

    /// <summary>Creates the exception.</summary>
    public TpmResponseException() : base("the TPM refused the command") { }

    /// <summary>Creates the exception.</summary>
    public TpmResponseException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public TpmResponseException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>The command that failed.</summary>
    public TpmCc Command { get; }

    /// <summary>The decoded response code.</summary>
    public TpmResponseCode ResponseCode { get; }

    /// <summary>The code without its handle/parameter/session number.</summary>
    public TpmRc Code => ResponseCode.Code;

    private static string Describe(TpmCc command, TpmResponseCode code)
    {
        var hint = Hint(code.Code);
        return $"TPM2_{command} failed: {code}{(hint.Length > 0 ? ": " + hint : "")}";
    }

    private static string Hint(TpmRc code) => code switch
    {
        TpmRc.Lockout => "the TPM is in dictionary-attack lockout after too many wrong auth values; "
            + "it refuses every key that is subject to DA protection until the recovery time passes "
            + "(TPM2_DictionaryAttackParameters) or the lockout hierarchy resets it (tpm2_dictionarylockout --clear-lockout)",
        TpmRc.AuthFail => "wrong auth value (PIN); the TPM counted the failure towards its dictionary-attack lockout",
        TpmRc.BadAuth => "wrong auth value (PIN)",
        TpmRc.Initialize => "the TPM has not been started: TPM2_Startup(CLEAR) must run first (tpm2_startup -c)",
        TpmRc.ObjectMemory or TpmRc.ObjectHandles => "the TPM has no free object slot: a transient object was not flushed",
        TpmRc.SessionMemory or TpmRc.SessionHandles => "the TPM has no free session slot: a session was not flushed",
        TpmRc.Failure => "the TPM is in failure mode; only TPM2_GetTestResult and TPM2_GetCapability work until it is reset",
        TpmRc.Handle => "no such handle (the object is not loaded or not persistent)",
        TpmRc.NvDefined => "the persistent handle or NV index is already in use",
        TpmRc.Hierarchy => "the hierarchy is disabled or wrong for this object",
        TpmRc.Attributes => "the object's attributes are inconsistent or do not allow this use",
        TpmRc.Integrity => "an integrity check failed (wrong parent, tampered blob, or wrong auth value in a sealed session)",
        TpmRc.CommandCode => "the TPM does not implement this command",
        TpmRc.Retry or TpmRc.Yielded or TpmRc.Testing => "the TPM was busy and stayed busy after the retries",
        _ => "",
    };
}
