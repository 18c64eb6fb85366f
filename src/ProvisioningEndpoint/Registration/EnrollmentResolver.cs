using DeviceAgent.Pki.Chains.Policy;
using ProvisioningEndpoint.Attestation;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Registration;

/// <summary>
/// The DPS resolution rule: the most specific entry wins. An individual enrollment for the
/// registration id first (bound to the leaf certificate); else the enrollment group of the first
/// intermediate of the chain; and so on up to the root. The first entry found decides: enabled
/// provisions, disabled refuses; none found refuses.
/// </summary>
public sealed class EnrollmentResolver(IProvisioningStore store, ChainAttestor attestor)
{
    /// <summary>Resolves the entry that decides a registration.</summary>
    public async Task<EnrollmentResolution> ResolveAsync(string registrationId, PresentedChain chain, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chain);
        // X.509 attestation: the leaf's subject CN is the registration id.
        if (!string.Equals(chain.CommonName, registrationId, StringComparison.Ordinal))
        {
            return EnrollmentResolution.Refuse(
                $"the device certificate's subject CN '{chain.CommonName}' is not the registration id '{registrationId}'", ChainRefusalReasons.SubjectMismatch);
        }

        // The chain as presented, then (for groups) the path up to the verified anchor, are held to
        // the policy DPS and a current TLS stack apply: weak keys and SHA-1/MD5 signatures fail attestation.
        var weak = DevicePolicy.JudgeChain([chain.Leaf, .. chain.Intermediates]);
        if (weak.Count > 0)
            return EnrollmentResolution.Refuse($"the device's certificate chain is refused: {DevicePolicy.Describe(weak)}", ChainRefusalReasons.WeakChain);

        var individual = await store.GetIndividualEnrollmentAsync(registrationId, cancellationToken).ConfigureAwait(false);
        if (individual is not null)
        {
            if (!string.Equals(individual.Thumbprint, chain.Leaf.Thumbprint, StringComparison.OrdinalIgnoreCase)
                && !await Issuance.RenewedLeaf.IsCurrentAsync(store, individual, chain, cancellationToken).ConfigureAwait(false)) // cert-renewal
            {
                return EnrollmentResolution.Refuse(
                    $"the device certificate (thumbprint {chain.Leaf.Thumbprint}) is not the one of individual enrollment '{registrationId}' ({individual.Thumbprint})",
                    ChainRefusalReasons.CertificateMismatch);
            }
            return Decide(individual.Status, EnrollmentKind.Individual, registrationId, individual.DeviceId ?? registrationId,
                individual.InitialTwinJson, individual.Allocation, $"individual enrollment '{registrationId}'", individual.Issuance);
        }

        var attestation = await attestor.AttestAsync(chain, cancellationToken).ConfigureAwait(false);
        if (!attestation.IsTrusted)
            return EnrollmentResolution.Refuse(attestation.Problem!, attestation.RefusalReason!);
        try
        {
            var weakPath = DevicePolicy.JudgeChain(attestation.Path);
            if (weakPath.Count > 0)
                return EnrollmentResolution.Refuse($"the device's chain leads to a CA certificate that is refused: {DevicePolicy.Describe(weakPath)}", ChainRefusalReasons.WeakCaPath);

            // path[0] is the leaf; groups bind intermediates and roots, most specific first.
            foreach (var certificate in attestation.Path.Skip(1))
            {
                var group = await store.FindEnrollmentGroupBySigningCertificateAsync(certificate.Thumbprint, cancellationToken).ConfigureAwait(false);
                if (group is not null)
                {
                    return Decide(group.Status, EnrollmentKind.Group, group.EnrollmentGroupId, registrationId, group.InitialTwinJson,
                        group.Allocation, $"enrollment group '{group.EnrollmentGroupId}' (signing certificate \"{certificate.Subject}\")", group.Issuance);
                }
            }
        }
        finally
        {
            foreach (var certificate in attestation.Path)
                certificate.Dispose();
        }
        return EnrollmentResolution.Refuse(
            $"no enrollment found: no individual enrollment for '{registrationId}' and no enrollment group for any certificate of its chain", ChainRefusalReasons.NoEnrollment);
    }

    private static EnrollmentResolution Decide(ProvisioningStatus status, EnrollmentKind kind, string id, string deviceId,
        string? twin, AllocationSettings allocation, string entry, Issuance.CertificateIssuancePolicy? issuance) =>
        status == ProvisioningStatus.Enabled
            ? new EnrollmentResolution(ResolutionOutcome.Provision, kind, id, deviceId, twin, allocation, $"provisioned through {entry}", issuance)
            : new EnrollmentResolution(ResolutionOutcome.Disabled, kind, id, null, twin, allocation, $"{entry} is disabled");
}
