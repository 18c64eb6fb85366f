using DeviceAgent.Pki.Registration;
using DeviceAgent.Pki.Requests;

namespace DeviceAgent.Pki.Authority;

/// <summary>What a device certificate is issued from.</summary>
/// <param name="Request">The checked certification request: its key is certified, its subject is not used.</param>
/// <param name="RegistrationId">The registration id: the leaf's subject is CN = this id.</param>
/// <param name="Validity">How long the certificate is valid (clamped to the CA's validity).</param>
/// <param name="Output">Where the device's chain will be written (recorded in the log); null when the caller writes nothing.</param>
/// <param name="KeyAttestation">How the key was attested (recorded in the log); null when it was not.</param>
public sealed record DeviceCertificateRequest(CertificationRequest Request, RegistrationId RegistrationId, TimeSpan Validity, string? Output = null,
    KeyAttestationRecord? KeyAttestation = null);
