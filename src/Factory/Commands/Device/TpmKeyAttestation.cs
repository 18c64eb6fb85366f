using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Keys;
using DeviceAgent.Pki.Authority;
using DeviceAgent.Pki.DeviceIdentities;
using DeviceAgent.Tpm.Attestation;
using DeviceAgent.Tpm.Keys;
using Factory.Cli;

namespace Factory.Commands.Device;

/// <summary>
/// Key attestation of <c>tpm:handle=</c> device keys at bring-up (<c>--ek-ca FILE</c>): this TPM,
/// whose EK certificate chains to the manufacturer's root, made the key and it cannot leave
/// (<see cref="KeyAttestor"/>). <c>--no-key-attestation</c> turns it off for TPMs without an EK
/// certificate, and the issuance log records that it was skipped. PKCS#11 keys are not attested
/// here (their custody attributes are checked when they are prepared).
/// </summary>
internal sealed class TpmKeyAttestation : IDeviceKeyAttestor
{
    private readonly TpmKeyBackend _tpm;
    private readonly KeyAttestationVerifier? _verifier;

    private TpmKeyAttestation(TpmKeyBackend tpm, KeyAttestationVerifier? verifier)
    {
        _tpm = tpm;
        _verifier = verifier;
    }

    public static Option<string?> EkCaOption() => new("--ek-ca")
    {
        Description = "PEM file with the TPM manufacturer's root CA certificate (and any intermediates): a tpm: key is attested before its leaf " +
            "is issued (TPM2_Certify by an endorsement-hierarchy attestation key; the EK certificate in NV must chain to this root)",
        HelpName = "FILE",
    };

    public static Option<bool> SkipOption() => new("--no-key-attestation")
    {
        Description = "issue for a tpm: key without attesting it (a TPM without an EK certificate, e.g. a bare simulator); the issuance log records it",
    };

    /// <summary>The attestor the options ask for; null for a key that is not a tpm: key.</summary>
    /// <exception cref="UsageException">A tpm: key without --ek-ca or --no-key-attestation, both, or an unusable --ek-ca file.</exception>
    public static TpmKeyAttestation? From(ParseResult parse, Option<string?> ekCa, Option<bool> skip, KeyReference key, TpmKeyBackend tpm)
    {
        var file = parse.GetValue(ekCa);
        var skipped = parse.GetValue(skip);
        if (key.TpmHandle is null)
        {
            if (file is not null || skipped)
                throw new UsageException($"{ekCa.Name} and {skip.Name} apply to tpm:handle= keys; '{key}' is a token key (its custody attributes are checked)");
            return null;
        }
        if (file is not null && skipped)
            throw new UsageException($"{ekCa.Name} and {skip.Name} contradict each other: give one");
        if (skipped)
            return new TpmKeyAttestation(tpm, null);
        if (file is null)
        {
            throw new UsageException(
                $"a TPM device key is attested before its leaf is issued, and that needs the TPM manufacturer's root CA: {ekCa.Name} FILE",
                $"give {ekCa.Name} (the TPM vendor's EK root CA, PEM), or {skip.Name} for a TPM without an EK certificate (the issuance log records it)");
        }
        return new TpmKeyAttestation(tpm, LoadVerifier(file, ekCa.Name));
    }

    public KeyAttestationRecord? Attest(KeyReference key, PublicKey requestKey)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(requestKey);
        if (key.TpmHandle is null)
            return null;
        if (_verifier is null)
        {
            Reporter.Note($"the TPM key {key} is not attested (--no-key-attestation): nothing proves this TPM made it; the issuance log records that");
            return new KeyAttestationRecord(KeyAttestationRecord.Skipped, "none", "--no-key-attestation");
        }
        var result = _tpm.Attest(key, _verifier, requestKey.ExportSubjectPublicKeyInfo());
        return new KeyAttestationRecord(KeyAttestationRecord.Verified, "tpm2-certify", null,
            string.Create(CultureInfo.InvariantCulture, $"0x{result.EkCertificateIndex:X8}"), result.EkCertificateSubject, result.EkCertificateIssuer,
            result.EkCertificateSha256, result.TrustAnchor, result.AttestationKeyName, result.CertifiedName,
            string.Create(CultureInfo.InvariantCulture, $"0x{(uint)result.Attributes:X8} ({result.Attributes})"));
    }

    private static KeyAttestationVerifier LoadVerifier(string file, string option)
    {
        var cas = new X509Certificate2Collection();
        try
        {
            cas.ImportFromPemFile(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new UsageException($"{option} '{file}' cannot be read as PEM certificates: {e.Message}", "give the TPM vendor's EK root CA certificate, PEM", e);
        }
        if (cas.Count == 0)
            throw new UsageException($"{option} '{file}' holds no PEM certificate", "give the TPM vendor's EK root CA certificate, PEM (-----BEGIN CERTIFICATE-----)");
        try
        {
            return new KeyAttestationVerifier(cas);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"{option} '{file}': {e.Message}", "add the vendor's root CA certificate to the file", e);
        }
    }
}
