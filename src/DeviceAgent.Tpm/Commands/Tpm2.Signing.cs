using DeviceAgent.Tpm.Constants;
using DeviceAgent.Tpm.Marshalling;
using DeviceAgent.Tpm.Sessions;
using DeviceAgent.Tpm.Structures;

namespace DeviceAgent.Tpm;

/// <summary>Signing, verification and certification (Part 3 18 and 20).</summary>
public sealed partial class Tpm2
{
    /// <summary>
    /// TPM2_Sign (Part 3 20.2): signs a digest computed outside the TPM with the key's scheme (or
    /// <paramref name="scheme"/> when the key's is NULL). An unrestricted key needs no hash-check
    /// ticket (the NULL ticket is sent).
    /// </summary>
    public TpmtSignature Sign(TpmHandle key, ReadOnlySpan<byte> digest, TpmtScheme scheme, TpmSession? session = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(scheme);
        var writer = new TpmWriter().WriteTpm2b(digest);
        scheme.Write(writer);
        TpmTicket.NullHashCheck.Write(writer);
        var reader = Execute(TpmCc.Sign, [key], 1, writer.ToArray(), out _, 0, Sessions(session));
        var signature = TpmtSignature.Read(reader);
        reader.ExpectEnd();
        return signature;
    }

    /// <summary>TPM2_VerifySignature (Part 3 20.1): the TPM checks a signature with a loaded public key; returns the TPMT_TK_VERIFIED ticket.</summary>
    /// <exception cref="TpmResponseException">TPM_RC_SIGNATURE: the signature does not verify.</exception>
    public TpmTicket VerifySignature(uint key, ReadOnlySpan<byte> digest, TpmtSignature signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        var writer = new TpmWriter().WriteTpm2b(digest);
        signature.Write(writer);
        var reader = Execute(TpmCc.VerifySignature, [new TpmHandle(key)], 0, writer.ToArray(), out _);
        var ticket = TpmTicket.Read(reader);
        reader.ExpectEnd();
        return ticket;
    }

    /// <summary>
    /// TPM2_Certify (Part 3 18.2): the signing key (an attestation key) signs a TPMS_ATTEST that
    /// names the object, proving the object is loaded in this TPM. The object needs ADMIN, the
    /// signing key USER authorization.
    /// </summary>
    public (byte[] CertifyInfo, TpmtSignature Signature) Certify(TpmHandle objectHandle, TpmHandle signHandle, ReadOnlySpan<byte> qualifyingData, TpmtScheme scheme,
        TpmSession? objectSession = null, TpmSession? signSession = null)
    {
        ArgumentNullException.ThrowIfNull(objectHandle);
        ArgumentNullException.ThrowIfNull(signHandle);
        ArgumentNullException.ThrowIfNull(scheme);
        var writer = new TpmWriter().WriteTpm2b(qualifyingData);
        scheme.Write(writer);
        var reader = Execute(TpmCc.Certify, [objectHandle, signHandle], 2, writer.ToArray(), out _, 0,
            [objectSession ?? PasswordSession.Instance, signSession ?? PasswordSession.Instance]);
        var info = reader.ReadTpm2b("certifyInfo");
        var signature = TpmtSignature.Read(reader);
        reader.ExpectEnd();
        return (info, signature);
    }
}
