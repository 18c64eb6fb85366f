using DeviceAgent.Keys;
using DeviceAgent.Pki.Authority;
using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Registration;
using DeviceAgent.Pki.Requests;
using DeviceAgent.Tpm.Attestation;
using Factory.Endpoint;

namespace Factory.Cli;

/// <summary>An error as the operator sees it: what failed, what to do, and the exit code.</summary>
/// <param name="Kind">A stable name for scripts (the exception family and its kind, e.g. "ca.duplicate-registration-id").</param>
/// <param name="Message">What failed, naming the file, CA, key or rule.</param>
/// <param name="Hint">What to do about it.</param>
/// <param name="ExitCode"><see cref="ExitCodes"/>.</param>
internal sealed record Failure(string Kind, string Message, string Hint, int ExitCode)
{
    /// <summary>Turns the exceptions of our families (and I/O failures) into a failure; false for anything else (a bug).</summary>
    public static bool TryFrom(Exception exception, string command, out Failure failure)
    {
        failure = exception switch
        {
            UsageException e => new("usage", e.Message, e.Hint ?? $"bringup {command} --help", ExitCodes.UsageError),
            RegistrationIdException e => new("registration-id", e.Message,
                "use letters, digits and - . _ : only, starting and ending with a letter or digit, at most 64 characters", ExitCodes.UsageError),
            CertificateAuthorityException e => FromCa(e),
            CertificationRequestException e => new("request." + Kebab(e.Problem.ToString()), e.Message, e.Problem switch
            {
                CertificationRequestProblem.BadSignature => "do not issue for this request: ask the device for a new one (its key signs it inside the token)",
                CertificationRequestProblem.WeakKey => "have the device generate an EC P-256/P-384 key or an RSA key of at least 2048 bits",
                CertificationRequestProblem.Unreadable => "check the --csr path",
                _ => "the file must hold one PKCS#10 request, PEM (-----BEGIN CERTIFICATE REQUEST-----) or DER",
            }, e.Problem == CertificationRequestProblem.Unreadable ? ExitCodes.UsageError : ExitCodes.Failed),
            KeyCustodyException e => new("key." + Kebab(e.Error.ToString()), e.Message, KeyHint(e.Error),
                e.Error is KeyCustodyError.InvalidKeyReference or KeyCustodyError.SoftwareKeyRefused or KeyCustodyError.PinUnavailable
                    or KeyCustodyError.ModuleNotFound ? ExitCodes.UsageError : ExitCodes.Failed),
            ChainBundleFormatException e => new("chain." + Kebab(e.Problem.ToString()), e.Message, "a chain bundle is PEM certificates, the leaf first",
                e.Problem is ChainBundleProblem.FileNotFound ? ExitCodes.UsageError : ExitCodes.Failed),
            ProvisioningServiceException e => new(e.Kind, e.Message, e.Hint, ExitCodes.Failed),
            KeyAttestationException e => FromAttestation(e),
            IOException or UnauthorizedAccessException => new("io", exception.Message, "check that the paths exist and are writable by this user", ExitCodes.Failed),
            _ => null!,
        };
        return failure is not null;
    }

    private static Failure FromCa(CertificateAuthorityException e) => new("ca." + Kebab(e.Error.ToString()), e.Message, e.Error switch
    {
        CertificateAuthorityError.NotFound => "create it with 'bringup ca create-root' or 'bringup ca create-intermediate', import it, or point --ca-dir at the right store",
        CertificateAuthorityError.InvalidName => "CA names are directory names: letters, digits, '-', '_', '.'",
        CertificateAuthorityError.AlreadyExists => "a CA name is used once per store",
        CertificateAuthorityError.NoKey => "import the CA with its key (--key-file, or --module/--key for a token)",
        CertificateAuthorityError.NotACa => "only a certificate with basicConstraints cA=TRUE and keyCertSign can issue",
        CertificateAuthorityError.Expired => "create a new CA and issue from it; the expired one stays in the store for its log",
        CertificateAuthorityError.NotYetValid => "check this machine's clock (timedatectl)",
        CertificateAuthorityError.PathLengthExceeded => "issue from a CA higher up, or create the hierarchy with larger --path-length values",
        CertificateAuthorityError.DuplicateRegistrationId => "give this device another --registration-id, or pass --reissue to replace its certificate on purpose",
        CertificateAuthorityError.OutputConflict => "use another --out directory for this device",
        CertificateAuthorityError.Busy => "another bringup process is using this CA; wait for it to finish",
        CertificateAuthorityError.KeyCustodyNotProven => "generate the device key with bringup (it creates keys inside the token), under a new label",
        CertificateAuthorityError.KeyMismatch => "the key reference must name the CA certificate's own key",
        CertificateAuthorityError.StoreCorrupt or CertificateAuthorityError.BrokenChain => "restore the CA directory from a backup; the store is append-only",
        _ => "see the message; nothing was written",
    }, e.Error is CertificateAuthorityError.NotFound or CertificateAuthorityError.InvalidName ? ExitCodes.UsageError : ExitCodes.Failed);

    private static Failure FromAttestation(KeyAttestationException e) => new("attestation." + Kebab(e.Failure.ToString()), e.Message, e.Failure switch
    {
        KeyAttestationFailure.NoEkCertificate => "this TPM has no usable EK certificate: ask its vendor for one, or pass --no-key-attestation to issue without attestation (the log records it)",
        KeyAttestationFailure.EkCertificateUntrusted => "check that --ek-ca is this TPM vendor's EK root CA; an EK certificate that does not chain to it is not a genuine TPM of that vendor",
        KeyAttestationFailure.EkMismatch => "the EK certificate was copied from another TPM: do not issue for this device",
        KeyAttestationFailure.AttributesWrong => "the key was not generated in this TPM as a non-duplicable key: evict it and let bringup create the key (a new --key handle)",
        KeyAttestationFailure.KeyMismatch or KeyAttestationFailure.NameMismatch => "the TPM answered about another key than the one named: check --key and --tpm",
        _ => "the TPM's attestation does not verify: do not issue for this device",
    }, ExitCodes.Failed);

    private static string KeyHint(KeyCustodyError error) => error switch
    {
        KeyCustodyError.PinRejected => "check the passphrase or PIN in the file or variable (for a CA: where ca/NAME/ca.json says it comes from)",
        KeyCustodyError.PinUnavailable => "create the PIN or passphrase file (mode 0600), or set the variable",
        KeyCustodyError.TokenNotFound => "check the token label in the URI (pkcs11-tool --module MODULE -L lists the tokens)",
        KeyCustodyError.ModuleNotFound or KeyCustodyError.ModuleNotLoadable => "check --module: the PKCS#11 library of the TPM (libtpm2_pkcs11.so) or HSM",
        KeyCustodyError.KeyAlreadyExists => "use the existing key, or choose another object= label",
        KeyCustodyError.SoftwareKeyRefused => "device keys live in a token: use a pkcs11: URI",
        KeyCustodyError.InvalidKeyReference => "write the key as an RFC 7512 URI: pkcs11:token=LABEL;object=LABEL",
        _ => "see the message; the token's own log may say more",
    };

    /// <summary>PascalCase to kebab-case for stable kind names.</summary>
    private static string Kebab(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "-" : "") + char.ToLowerInvariant(c) : c.ToString()));
}
