using ProvisioningEndpoint.Rest.Http;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Rest.Certificates;

/// <summary>Groups that name a CA certificate in <c>x509.caReferences</c> pin it: it cannot be deleted or swapped under them.</summary>
internal static class CertificateReferences
{
    /// <summary>Refuses with 409 when groups refer to the certificate by name.</summary>
    /// <exception cref="RestException">409 naming the groups.</exception>
    public static async Task RefuseWhenReferencedAsync(string name, IProvisioningStore store, string action, CancellationToken cancellationToken)
    {
        var groups = (await store.ListEnrollmentGroupsAsync(cancellationToken)).Where(g => g.CaReference == name).Select(g => $"'{g.EnrollmentGroupId}'").ToList();
        if (groups.Count > 0)
            throw RestException.Conflict($"enrollment group(s) {string.Join(", ", groups)} refer to certificate '{name}'; delete them or bind them to another certificate before you {action}");
    }
}
