namespace DeviceAgent.Tpm.Sessions;

/// <summary>TPMA_SESSION, a session's attributes in one command (TPM 2.0 Part 2 8.4).</summary>
[Flags]
public enum TpmaSession : byte
{
    /// <summary>No attribute: the TPM flushes the session after the command.</summary>
    None = 0,
    /// <summary>continueSession: keep the session after this command.</summary>
    ContinueSession = 0x01,
    /// <summary>decrypt: the first command parameter (a TPM2B) is encrypted (Part 1 21).</summary>
    Decrypt = 0x20,
    /// <summary>encrypt: the TPM encrypts the first response parameter (a TPM2B).</summary>
    Encrypt = 0x40,
    /// <summary>audit.</summary>
    Audit = 0x80,
}
