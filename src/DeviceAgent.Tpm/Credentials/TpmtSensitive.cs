using DeviceAgent.Tpm.Constants;
using DeviceAgent.Tpm.Marshalling;

namespace DeviceAgent.Tpm.Credentials;

/// <summary>
/// TPMT_SENSITIVE (TPM 2.0 Part 2 12.3.2.4) for a symmetric object: sensitiveType || authValue
/// (TPM2B_AUTH) || seedValue (TPM2B_DIGEST, the obfuscation value of a KEYEDHASH or SYMCIPHER
/// object) || sensitive (TPM2B_SENSITIVE_DATA or TPM2B_SYM_KEY: the key bits). Only the software
/// side of duplication builds one; it never leaves this process unencrypted.
/// </summary>
internal sealed record TpmtSensitive(TpmAlgId SensitiveType, ReadOnlyMemory<byte> AuthValue, ReadOnlyMemory<byte> SeedValue, ReadOnlyMemory<byte> Sensitive)
{
    /// <summary>The marshalled TPM2B_SENSITIVE (12.3.2.5): UINT16 size || TPMT_SENSITIVE.</summary>
    public byte[] ToSizedBytes()
    {
        var writer = new TpmWriter();
        writer.WriteSized(w => w.WriteUInt16((ushort)SensitiveType).WriteTpm2b(AuthValue.Span).WriteTpm2b(SeedValue.Span).WriteTpm2b(Sensitive.Span));
        return writer.ToArray();
    }
}
