using DeviceAgent.Pki.Authority;
using DeviceAgent.Pki.Inspection;
using DeviceAgent.Pki.Registration;

namespace DeviceAgent.Pki.DeviceIdentities;

/// <summary>A device identity as delivered.</summary>
/// <param name="RegistrationId">The registration id (the leaf's subject CN).</param>
/// <param name="Outcome">Issued, reissued, or already there.</param>
/// <param name="Leaf">The leaf certificate's details.</param>
/// <param name="ChainPath">The chain bundle written (leaf, then intermediates).</param>
/// <param name="RootPath">The root certificate written.</param>
/// <param name="KeyExisted">True when the device key was already in the token (a rerun), false when it was generated; null for a request made elsewhere.</param>
/// <param name="Timings">Where the time went.</param>
/// <param name="Warnings">What the operator should know (a validity cut to the CA's).</param>
/// <param name="KeyAttestation">How the key was attested before issuance (as logged); null when it was not, or nothing was issued.</param>
public sealed record DeviceIdentity(
    RegistrationId RegistrationId,
    DeviceIdentityOutcome Outcome,
    CertificateDetails Leaf,
    string ChainPath,
    string RootPath,
    bool? KeyExisted,
    DeviceIssuanceTimings Timings,
    IReadOnlyList<string> Warnings,
    KeyAttestationRecord? KeyAttestation = null);
