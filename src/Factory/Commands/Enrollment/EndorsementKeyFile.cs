using DeviceAgent.Tpm;
using DeviceAgent.Tpm.Constants;
using DeviceAgent.Tpm.Marshalling;
using DeviceAgent.Tpm.Structures;
using Factory.Cli;

namespace Factory.Commands.Enrollment;

/// <summary>
/// The <c>--endorsement-key FILE</c> of a TPM enrollment: the marshalled TPM2B_PUBLIC that
/// <c>tpm2_createek -u</c> writes, or its base64 (what DPS's service API carries). It must be an
/// RSA storage key (the TCG EK template): DPS seals its challenge to it.
/// </summary>
internal static class EndorsementKeyFile
{
    /// <summary>The TPM2B_PUBLIC bytes.</summary>
    /// <exception cref="UsageException">Unreadable, or not an RSA storage key's TPM2B_PUBLIC.</exception>
    public static byte[] Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"--endorsement-key '{path}' cannot be read: {e.Message}", "give the file that 'tpm2_createek -u FILE' wrote");
        }
        var text = System.Text.Encoding.ASCII.GetString(bytes).Trim();
        var decoded = new byte[bytes.Length];
        if (text.Length > 0 && Convert.TryFromBase64String(text, decoded, out var length) && Parse(decoded[..length]) is not null)
            bytes = decoded[..length];
        var key = Parse(bytes)
            ?? throw new UsageException($"--endorsement-key '{path}' is not a TPM2B_PUBLIC (nor its base64)",
                "give the file that 'tpm2_createek -c ek.ctx -G rsa -u FILE' wrote, or the base64 that 'deviceagent tpm info' prints");
        if (key.Type != TpmAlgId.Rsa || (key.ObjectAttributes & (TpmaObject.Restricted | TpmaObject.Decrypt)) != (TpmaObject.Restricted | TpmaObject.Decrypt))
        {
            throw new UsageException($"--endorsement-key '{path}' is a {key.Type} key ({key.ObjectAttributes}), not an RSA storage key",
                "DPS's TPM attestation needs the RSA endorsement key: 'tpm2_createek -G rsa'");
        }
        return bytes;
    }

    private static TpmtPublic? Parse(byte[] bytes)
    {
        try
        {
            return TpmtPublic.ReadSized(new TpmReader(bytes, "TPM2B_PUBLIC"));
        }
        catch (TpmFormatException)
        {
            return null;
        }
    }
}
