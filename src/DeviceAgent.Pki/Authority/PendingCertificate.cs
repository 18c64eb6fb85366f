using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Pki.Registration;

namespace DeviceAgent.Pki.Authority;

/// <summary>A certificate about to be signed: subject, key, profile, and what the log records.</summary>
internal sealed record PendingCertificate(
    X500DistinguishedName Subject,
    PublicKey PublicKey,
    IssuanceKind Kind,
    TimeSpan Validity,
    Action<CertificateRequest, X509Certificate2> Profile,
    RegistrationId? RegistrationId,
    string? Output,
    KeyAttestationRecord? KeyAttestation = null);
