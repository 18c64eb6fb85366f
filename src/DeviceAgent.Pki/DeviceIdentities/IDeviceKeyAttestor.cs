using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Keys;
using DeviceAgent.Pki.Authority;

namespace DeviceAgent.Pki.DeviceIdentities;

/// <summary>
/// Proves, before a device certificate is issued, that the device's token made its key and that the
/// key cannot leave it (for a TPM key: TPM2_Certify by an attestation key whose EK certificate chains
/// to the manufacturer). Throws, with its own exception family, when it cannot; the leaf is then not issued.
/// </summary>
public interface IDeviceKeyAttestor
{
    /// <summary>Attests <paramref name="key"/>, which must be <paramref name="requestKey"/> (the key of the certification request).</summary>
    /// <returns>What the issuance log records; null when this attestor does not attest keys of that kind.</returns>
    KeyAttestationRecord? Attest(KeyReference key, PublicKey requestKey);
}
