using DeviceAgent.Tpm;
using DeviceAgent.Tpm.Constants;
using DeviceAgent.Tpm.Marshalling;
using DeviceAgent.Tpm.Structures;
using ProvisioningEndpoint.Rest.Http;

namespace ProvisioningEndpoint.Rest.Wire;

/// <summary>
/// A TPM key as DPS carries it: the base64 of a marshalled TPM2B_PUBLIC (TPM 2.0 Part 2 12.2.5),
/// what <c>tpm2_createek -u</c> and <c>tpm2_readpublic -o</c> write. DPS's challenge needs an RSA
/// storage key (restricted, decrypt, AES-CFB): the TCG EK and SRK templates.
/// </summary>
internal static class TpmKeyText
{
    /// <summary>The TPM2B_PUBLIC bytes, checked.</summary>
    /// <exception cref="RestException">400 naming <paramref name="field"/>.</exception>
    public static byte[] Read(string text, string field)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(text.Trim());
        }
        catch (FormatException)
        {
            throw RestException.BadField(field, "is not base64; send the base64 of the TPM2B_PUBLIC that tpm2_createek -u writes");
        }
        if (Problem(bytes) is { } problem)
            throw RestException.BadField(field, problem);
        return bytes;
    }

    /// <summary>Why <paramref name="bytes"/> is not a TPM2B_PUBLIC of an RSA storage key; null when it is.</summary>
    public static string? Problem(byte[] bytes)
    {
        TpmtPublic key;
        try
        {
            key = TpmtPublic.ReadSized(new TpmReader(bytes, "TPM2B_PUBLIC"));
        }
        catch (TpmFormatException e)
        {
            return $"is not a TPM2B_PUBLIC ({e.Message})";
        }
        if (key.Type != TpmAlgId.Rsa || (key.ObjectAttributes & (TpmaObject.Restricted | TpmaObject.Decrypt)) != (TpmaObject.Restricted | TpmaObject.Decrypt))
            return $"is a {key.Type} key with attributes {key.ObjectAttributes}; DPS's TPM attestation needs an RSA storage key (restricted, decrypt), as the TCG EK template makes";
        return null;
    }
}
