using System.Security.Cryptography.X509Certificates;

namespace Factory.Endpoint;

/// <summary>
/// DPS resolution, seen from the operator's side: the entry that decides for a device once a more
/// specific entry is deleted. A device is decided by its individual enrollment, else by the group
/// of the first certificate up its chain that has one (DESIGN.md). So after a delete, the first
/// group found walking up from the deleted entry's issuer takes over: enabled, the device can
/// enroll again (what DPS's documentation warns about); disabled, it stays refused. The walk goes
/// by subject and issuer names, as the service shows them in certificate info and uploaded CA
/// certificates.
/// </summary>
internal static class EntryAbove
{
    private const int MaxDepth = 16;

    /// <summary>The group that would decide instead of <paramref name="deleted"/>, or null when none would (the device is then refused).</summary>
    public static async Task<EnrollmentResource?> FindAsync(ProvisioningServiceClient client, EnrollmentResource deleted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(deleted);
        var groups = await client.QueryEnrollmentGroupsAsync(cancellationToken).ConfigureAwait(false);
        var certificates = await client.ListCertificatesAsync(cancellationToken).ConfigureAwait(false);

        // subject -> issuer, from uploaded CA certificates and from the groups' certificate info.
        var issuerOf = new Dictionary<string, string>(StringComparer.Ordinal);
        var subjectOfReference = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var resource in certificates)
        {
            if (resource.Properties?.Certificate is not { } text)
                continue;
            using var certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(text));
            issuerOf.TryAdd(certificate.Subject, certificate.Issuer);
            subjectOfReference[resource.Name ?? ""] = certificate.Subject;
        }
        foreach (var info in groups.Select(g => g.CertificateInfo).OfType<X509CertificateInfo>())
        {
            if (info.SubjectName is { } subject && info.IssuerName is { } issuer)
                issuerOf.TryAdd(subject, issuer);
        }
        string? SubjectOf(EnrollmentResource group) =>
            group.CertificateInfo?.SubjectName ?? (group.CaReference is { } name && subjectOfReference.TryGetValue(name, out var subject) ? subject : null);

        var start = deleted.CertificateInfo?.IssuerName
            ?? (deleted.CaReference is { } reference && subjectOfReference.TryGetValue(reference, out var referenced) && issuerOf.TryGetValue(referenced, out var up) ? up : null);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var name = start; name is not null && seen.Add(name) && seen.Count <= MaxDepth; name = issuerOf.GetValueOrDefault(name))
        {
            var group = groups.FirstOrDefault(g => g.EnrollmentGroupId != deleted.EnrollmentGroupId && SubjectOf(g) == name);
            if (group is not null)
                return group;
        }
        return null;
    }
}
