using System.Security.Cryptography;
using DeviceAgent.Tpm.Credentials;
using DeviceAgent.Tpm.Provisioning;
using DeviceAgent.Tpm.Sessions;
using DeviceAgent.Tpm.Structures;

namespace DeviceAgent.Tpm.Attestation;

/// <summary>
/// The TPM's side of a key attestation, driven by the verifier: it reads the EK certificate from
/// NV, creates an attestation key as a primary of the endorsement hierarchy (TPM2_CreatePrimary,
/// <see cref="TcgTemplates.AttestationKeyEccP256"/>), proves that key lives in the TPM that holds
/// the EK (a credential bound to the attestation key's Name, made in software to the EK's public
/// key and recovered with TPM2_ActivateCredential under PolicySecret(TPM_RH_ENDORSEMENT), TCG's
/// credential activation), and has it TPM2_Certify the device key over a fresh nonce. The
/// attestation key is flushed afterwards (one transient slot while it runs). Not thread-safe: the
/// caller serialises its use of the TPM.
/// </summary>
public static class KeyAttestor
{
    /// <summary>Collects the evidence for the key at <paramref name="keyHandle"/> and verifies it.</summary>
    /// <exception cref="KeyAttestationException">The TPM has no usable EK certificate, could not activate the credential, or a check failed.</exception>
    /// <exception cref="TpmException">The TPM refused a command or is unreachable.</exception>
    public static KeyAttestationResult Attest(Tpm2 tpm, uint keyHandle, ReadOnlyMemory<byte> keyAuth, KeyAttestationVerifier verifier, ReadOnlySpan<byte> expectedKey)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        return verifier.Verify(Collect(tpm, keyHandle, keyAuth), expectedKey);
    }

    /// <summary>Collects the evidence (the credential activation is checked here: it needs the TPM).</summary>
    /// <exception cref="KeyAttestationException">No usable EK certificate, or the credential was not activated.</exception>
    /// <exception cref="TpmException">The TPM refused a command or is unreachable.</exception>
    public static KeyCertificationEvidence Collect(Tpm2 tpm, uint keyHandle, ReadOnlyMemory<byte> keyAuth)
    {
        ArgumentNullException.ThrowIfNull(tpm);
        var (index, certificate) = EndorsementCertificate.TryRead(tpm) ?? throw new KeyAttestationException(KeyAttestationFailure.NoEkCertificate,
            $"the TPM holds no EK certificate (NV index 0x{Tpm2.EkCertificateRsaIndex:X8} for RSA nor 0x{Tpm2.EkCertificateEccIndex:X8} for ECC is defined), "
            + "so nothing proves it is a genuine TPM");
        if (index != Tpm2.EkCertificateRsaIndex)
        {
            throw new KeyAttestationException(KeyAttestationFailure.NoEkCertificate,
                $"the TPM holds only an ECC EK certificate (0x{index:X8}); binding the attestation key to the EK (TPM2_ActivateCredential) "
                + $"is implemented for the RSA 2048 EK, whose certificate is at 0x{Tpm2.EkCertificateRsaIndex:X8}");
        }
        var ek = PersistentPrimary.EnsureEk(tpm);
        var key = tpm.ReadPublic(keyHandle);
        var ak = tpm.CreatePrimary(TpmHandle.Endorsement, TcgTemplates.AttestationKeyEccP256);
        try
        {
            var akHandle = new TpmHandle(ak.Handle, ak.Name);
            ProveResidency(tpm, ek, akHandle);
            var nonce = RandomNumberGenerator.GetBytes(32);
            var keyHandleWithAuth = new TpmHandle(keyHandle, key.Name, keyAuth);
            (byte[] Info, TpmtSignature Signature) certified;
            if (keyAuth.IsEmpty)
            {
                certified = tpm.Certify(keyHandleWithAuth, akHandle, nonce, TpmtScheme.Null);
            }
            else
            {
                // The key's auth value must not cross the bus: an HMAC session salted to the SRK.
                using var session = tpm.StartAuthSession(false, (TcgTemplates.SrkHandle, PersistentPrimary.EnsureSrk(tpm).Public));
                certified = tpm.Certify(keyHandleWithAuth, akHandle, nonce, TpmtScheme.Null, session);
            }
            return new KeyCertificationEvidence(index, certificate, ek.Public, ak.Public, key.Public, nonce, certified.Info, certified.Signature);
        }
        finally
        {
            tpm.FlushContext(ak.Handle);
        }
    }

    // TCG credential activation (Part 1 24): only the TPM with the EK's private key recovers a
    // credential bound to the attestation key's Name, and only while that key is loaded in it.
    private static void ProveResidency(Tpm2 tpm, ReadPublicResult ek, TpmHandle ak)
    {
        var credential = RandomNumberGenerator.GetBytes(32);
        var (idObject, encryptedSecret) = CredentialProtection.Make(ek.Public, credential, ak.Name.Span);
        byte[] recovered;
        try
        {
            using var policy = (PolicySession)tpm.StartAuthSession(policy: true);
            tpm.PolicySecret(TpmHandle.Endorsement, policy);
            recovered = tpm.ActivateCredential(ak, new TpmHandle(TcgTemplates.EkHandle, ek.Name), idObject, encryptedSecret, keySession: policy);
        }
        catch (TpmResponseException ex)
        {
            throw new KeyAttestationException(KeyAttestationFailure.AttestationKeyRejected,
                $"the TPM could not activate a credential for its attestation key with its EK ({ex.Message}): the attestation key and the EK are not in one TPM", ex);
        }
        if (!CryptographicOperations.FixedTimeEquals(recovered, credential))
        {
            throw new KeyAttestationException(KeyAttestationFailure.AttestationKeyRejected,
                "TPM2_ActivateCredential returned another credential than the one made for the attestation key: the attestation key and the EK are not in one TPM");
        }
    }
}
