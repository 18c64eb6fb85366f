using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Tpm.Constants;
using DeviceAgent.Tpm.Crypto;
using DeviceAgent.Tpm.Keys;
using DeviceAgent.Tpm.Provisioning;
using DeviceAgent.Tpm.Structures;

namespace DeviceAgent.Tpm.Attestation;

/// <summary>
/// Checks <see cref="KeyCertificationEvidence"/> in software, trusting nothing the TPM said about
/// itself: the EK certificate chains to a manufacturer CA (RFC 5280 path validation by .NET's
/// X509Chain, no downloads, no revocation) and certifies the EK's public area; the attestation key
/// is a restricted, non-duplicable signing key and a primary of the endorsement hierarchy (its
/// qualified Name in TPMS_ATTEST.qualifiedSigner); its signature over the TPMS_ATTEST verifies; the
/// TPMS_ATTEST carries TPM_GENERATED_VALUE, TPM_ST_ATTEST_CERTIFY and the verifier's nonce (Part 2
/// 10.12.12); the certified Name is nameAlg || H(TPMT_PUBLIC) of the device key (Part 1 16);
/// the device key is fixedTPM|fixedParent|sensitiveDataOrigin; and it is the expected key.
/// That the attestation key lives in the TPM that holds the EK is the caller's proof
/// (<see cref="KeyAttestor"/>: TPM2_ActivateCredential). Thread-safe.
/// </summary>
public sealed class KeyAttestationVerifier
{
    private readonly X509Certificate2Collection _anchors = [];
    private readonly X509Certificate2Collection _intermediates = [];
    private readonly TimeProvider _clock;

    /// <summary>
    /// Trusts the manufacturer CA certificates in <paramref name="manufacturerCas"/>: the self-signed
    /// ones are the trust anchors, the others intermediates the EK certificate's path may use (a TPM
    /// vendor's EK certificates are usually issued by an intermediate; nothing is downloaded).
    /// </summary>
    /// <exception cref="ArgumentException">No self-signed (root) certificate was given: X509Chain anchors a path only at a root.</exception>
    public KeyAttestationVerifier(X509Certificate2Collection manufacturerCas, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(manufacturerCas);
        foreach (var certificate in manufacturerCas)
            (certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData) ? _anchors : _intermediates).Add(certificate);
        if (_anchors.Count == 0)
        {
            throw new ArgumentException(
                $"the manufacturer CA certificates ({manufacturerCas.Count}) hold no self-signed root; give the TPM vendor's root CA certificate, with any intermediates",
                nameof(manufacturerCas));
        }
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>Verifies the evidence for a device key whose SubjectPublicKeyInfo is <paramref name="expectedKey"/>.</summary>
    /// <exception cref="KeyAttestationException">A check failed (<see cref="KeyAttestationException.Failure"/> says which).</exception>
    public KeyAttestationResult Verify(KeyCertificationEvidence evidence, ReadOnlySpan<byte> expectedKey)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        using var ekCertificate = LoadEkCertificate(evidence);
        var anchor = CheckChain(ekCertificate, evidence.EkCertificateIndex);
        if (!ekCertificate.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(evidence.EndorsementKey.ExportSubjectPublicKeyInfo()))
        {
            throw new KeyAttestationException(KeyAttestationFailure.EkMismatch,
                $"the EK certificate in NV 0x{evidence.EkCertificateIndex:X8} certifies another key than this TPM's EK: the certificate does not belong to this TPM");
        }
        CheckAttestationKey(evidence.AttestationKey);
        var attest = CheckAttest(evidence);
        var computed = evidence.CertifiedKey.Name();
        if (!attest.CertifiedName.Span.SequenceEqual(computed))
        {
            throw new KeyAttestationException(KeyAttestationFailure.NameMismatch,
                $"TPM2_Certify certified the Name {Convert.ToHexString(attest.CertifiedName.Span)}, but the device key's public area has the Name "
                + $"{Convert.ToHexString(computed)} (nameAlg || H(TPMT_PUBLIC), Part 1 16): the attestation is about another object");
        }
        var attributes = evidence.CertifiedKey.ObjectAttributes;
        if ((attributes & TcgTemplates.CustodyAttributes) != TcgTemplates.CustodyAttributes)
        {
            var problems = DeviceKeyFactory.CustodyProblems(attributes);
            throw new KeyAttestationException(KeyAttestationFailure.AttributesWrong,
                $"the device key's attributes (0x{(uint)attributes:X8}: {attributes}) do not prove it was made in this TPM and cannot leave it: {string.Join("; ", problems)}");
        }
        if (!evidence.CertifiedKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(expectedKey))
        {
            throw new KeyAttestationException(KeyAttestationFailure.KeyMismatch,
                "the key the TPM certified is not the key of the certification request: the request was not signed by this TPM key");
        }
        return new KeyAttestationResult(evidence.EkCertificateIndex, ekCertificate.Subject, ekCertificate.Issuer,
            Convert.ToHexString(SHA256.HashData(evidence.EkCertificate.Span)), anchor, Convert.ToHexString(evidence.AttestationKey.Name()),
            Convert.ToHexString(computed), attributes);
    }

    private static X509Certificate2 LoadEkCertificate(KeyCertificationEvidence evidence)
    {
        try
        {
            return X509CertificateLoader.LoadCertificate(evidence.EkCertificate.Span);
        }
        catch (CryptographicException ex)
        {
            throw new KeyAttestationException(KeyAttestationFailure.EkCertificateUntrusted,
                $"NV index 0x{evidence.EkCertificateIndex:X8} does not hold a DER X.509 EK certificate ({ex.Message})", ex);
        }
    }

    private string CheckChain(X509Certificate2 ekCertificate, uint index)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_anchors);
        chain.ChainPolicy.ExtraStore.AddRange(_intermediates);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationTime = _clock.GetUtcNow().UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        if (!chain.Build(ekCertificate))
        {
            var problems = chain.ChainStatus.Select(s => $"{s.Status}: {s.StatusInformation.Trim()}").Distinct();
            throw new KeyAttestationException(KeyAttestationFailure.EkCertificateUntrusted,
                $"the EK certificate in NV 0x{index:X8} (issuer \"{ekCertificate.Issuer}\", serial {ekCertificate.SerialNumber}) does not chain to the "
                + $"manufacturer CA ({string.Join(", ", _anchors.Select(a => $"\"{a.Subject}\""))}): {string.Join("; ", problems)}");
        }
        // The elements' certificates are the chain's own copies (or the caller's anchors): not disposed here.
        return chain.ChainElements[^1].Certificate.Subject;
    }

    private static void CheckAttestationKey(TpmtPublic ak)
    {
        const TpmaObject required = TpmaObject.Restricted | TpmaObject.Sign | TcgTemplates.CustodyAttributes;
        if ((ak.ObjectAttributes & required) != required || (ak.ObjectAttributes & TpmaObject.Decrypt) != 0 || ak.Type != TpmAlgId.Ecc)
        {
            throw new KeyAttestationException(KeyAttestationFailure.AttestationKeyRejected,
                $"the attestation key ({ak.Type}, attributes {ak.ObjectAttributes}) is not a restricted, non-duplicable ECC signing key made in the TPM; "
                + "only such a key signs nothing but structures the TPM made");
        }
    }

    private static TpmsAttest CheckAttest(KeyCertificationEvidence evidence)
    {
        var ak = evidence.AttestationKey;
        var signature = evidence.Signature;
        bool verified;
        using (var ecdsa = ECDsa.Create(ak.ToEcParameters()))
        {
            var coordinate = (ecdsa.KeySize + 7) / 8;
            verified = signature.SigAlg == TpmAlgId.EcDsa && signature.R.Length <= coordinate && signature.S.Length <= coordinate
                && ecdsa.VerifyData(evidence.CertifyInfo.Span, signature.ToP1363(coordinate), TpmHash.NameOf(signature.Hash));
        }
        if (!verified)
        {
            throw new KeyAttestationException(KeyAttestationFailure.AttestationInvalid,
                $"the attestation key's {signature.SigAlg}/{signature.Hash} signature over the TPMS_ATTEST does not verify: the attestation was not made by this attestation key");
        }
        TpmsAttest attest;
        try
        {
            attest = TpmsAttest.ParseCertify(evidence.CertifyInfo);
        }
        catch (TpmFormatException ex)
        {
            throw new KeyAttestationException(KeyAttestationFailure.AttestationInvalid, $"the certification is not one a TPM made: {ex.Message}", ex);
        }
        if (!attest.ExtraData.Span.SequenceEqual(evidence.Nonce.Span))
        {
            throw new KeyAttestationException(KeyAttestationFailure.AttestationInvalid,
                "TPMS_ATTEST.extraData is not the nonce this verifier sent: the certification is a replay of an older one");
        }
        // Part 1 16: QN = nameAlg || H(QN(parent) || Name); a hierarchy's QN is its handle.
        var expectedSigner = ObjectName.Compute(ak.NameAlg, [.. ObjectName.OfHandle(TpmRh.Endorsement), .. ak.Name()]);
        if (!attest.QualifiedSigner.Span.SequenceEqual(expectedSigner))
        {
            throw new KeyAttestationException(KeyAttestationFailure.AttestationKeyRejected,
                "TPMS_ATTEST.qualifiedSigner is not the qualified Name of a primary attestation key of the endorsement hierarchy");
        }
        return attest;
    }
}
