using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Pki.Chains;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Registration;

/// <summary>
/// The resolution rule (<see cref="EnrollmentResolver"/>) seen from an entry about to be deleted:
/// which enrollment group would decide for its devices instead. Resolution takes the first group
/// up a device's chain, so after a delete the first group bound to a certificate above the
/// entry's own (its signing certificate, or an individual enrollment's leaf) decides: enabled, the
/// devices enroll again (what DPS's documentation warns about); disabled, they stay refused. The
/// walk goes by signature over the certificates the endpoint knows: the uploaded CA certificates
/// and the groups' signing certificates. (<c>bringup</c> makes the same walk over the REST API.)
/// </summary>
public sealed class EntrySuccessor(IProvisioningStore store)
{
    private const int MaxDepth = 16;

    /// <summary>The group that would decide for <paramref name="group"/>'s devices once it is deleted, or null (they would be refused).</summary>
    public Task<EnrollmentGroup?> ForGroupAsync(EnrollmentGroup group, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(group);
        return FindAboveAsync(group.SigningCertificate, group.EnrollmentGroupId, cancellationToken);
    }

    /// <summary>The group that would decide for the device of <paramref name="enrollment"/> once it is deleted, or null (TPM enrollments, or none).</summary>
    public Task<EnrollmentGroup?> ForIndividualAsync(IndividualEnrollment enrollment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(enrollment);
        return enrollment.IsTpm ? Task.FromResult<EnrollmentGroup?>(null) : FindAboveAsync(enrollment.ClientCertificate, null, cancellationToken);
    }

    private async Task<EnrollmentGroup?> FindAboveAsync(byte[] start, string? excludedGroupId, CancellationToken cancellationToken)
    {
        var groups = (await store.ListEnrollmentGroupsAsync(cancellationToken).ConfigureAwait(false))
            .Where(g => g.EnrollmentGroupId != excludedGroupId).ToList();
        var uploaded = await store.ListCertificatesAsync(cancellationToken).ConfigureAwait(false);
        var known = uploaded.Select(c => c.Certificate).Concat(groups.Select(g => g.SigningCertificate))
            .Select(X509CertificateLoader.LoadCertificate).ToList();
        using var current = X509CertificateLoader.LoadCertificate(start);
        try
        {
            var at = current;
            for (var depth = 0; depth < MaxDepth && !CertificateSignature.IsSelfIssued(at); depth++)
            {
                var issuer = known.FirstOrDefault(c => c.Thumbprint != at.Thumbprint && CertificateSignature.IsIssuedBy(at, c));
                if (issuer is null)
                    return null;
                var group = groups.FirstOrDefault(g => string.Equals(g.SigningThumbprint, issuer.Thumbprint, StringComparison.OrdinalIgnoreCase));
                if (group is not null)
                    return group;
                at = issuer;
            }
            return null;
        }
        finally
        {
            foreach (var certificate in known)
                certificate.Dispose();
        }
    }
}
