namespace ProvisioningEndpoint.Attestation;

/// <summary>
/// Why an X.509 registration was refused, as a bounded label (the reason's words, which name
/// certificates and ids, go to the device and the log; these go to metrics). Each is a 401002.
/// </summary>
public static class ChainRefusalReasons
{
    /// <summary>The leaf's subject CN is not the registration id.</summary>
    public const string SubjectMismatch = "subject_mismatch";

    /// <summary>The presented chain has a weak key or a SHA-1/MD5 signature.</summary>
    public const string WeakChain = "weak_chain";

    /// <summary>The leaf is not the certificate of the device's individual enrollment.</summary>
    public const string CertificateMismatch = "certificate_mismatch";

    /// <summary>No CA certificate has passed proof of possession.</summary>
    public const string NoVerifiedCa = "no_verified_ca";

    /// <summary>The chain does not lead to a verified CA certificate (unknown issuer, expired, wrong usage, ...).</summary>
    public const string UntrustedChain = "untrusted_chain";

    /// <summary>The path up to the verified CA holds a weak certificate.</summary>
    public const string WeakCaPath = "weak_ca_path";

    /// <summary>The chain is trusted but no individual enrollment or enrollment group decides for it.</summary>
    public const string NoEnrollment = "no_enrollment";
}
