using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Pki.Chains;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Rest.Http;
using ProvisioningEndpoint.Rest.Wire;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Rest.EnrollmentGroups;

/// <summary>
/// DPS's rule for a group's signing certificate (proof of possession, DESIGN.md): it must be a
/// verified CA certificate, or roll up to one: its issuer, found among the uploaded CA
/// certificates by signature, is verified, or rolls up in turn. Otherwise anyone who sniffed an
/// intermediate could bind a group to it and take over its devices. Checked when a group is
/// created or its signing certificate changes (not when it is only disabled or re-allocated, so
/// that a group can always be disabled).
/// </summary>
internal static class SigningCertificateRule
{
    private const int MaxDepth = 16;

    /// <summary>Refuses a signing certificate that neither is nor rolls up to a verified certificate.</summary>
    /// <exception cref="RestException">400 naming the certificate and what to do.</exception>
    public static async Task CheckAsync(byte[] signingCertificate, IProvisioningStore store, CancellationToken cancellationToken)
    {
        var uploaded = await store.ListCertificatesAsync(cancellationToken);
        var loaded = uploaded.Select(e => (Entry: e, Certificate: X509CertificateLoader.LoadCertificate(e.Certificate))).ToList();
        using var signing = X509CertificateLoader.LoadCertificate(signingCertificate);
        try
        {
            var walked = new List<string>();
            var current = signing;
            for (var depth = 0; depth < MaxDepth; depth++)
            {
                var same = loaded.FirstOrDefault(c => c.Certificate.Thumbprint == current.Thumbprint);
                if (same.Entry is { IsVerified: true })
                    return;
                if (same.Entry is not null)
                    walked.Add($"'{same.Entry.Name}' (unverified)");
                if (CertificateSignature.IsSelfIssued(current))
                    break;
                var issuer = loaded.FirstOrDefault(c => c.Certificate.Thumbprint != current.Thumbprint && CertificateSignature.IsIssuedBy(current, c.Certificate));
                if (issuer.Entry is null)
                    break;
                current = issuer.Certificate;
            }
            throw RestException.BadField("attestation.x509",
                $"names the signing certificate {CertificateText.Describe(signing)}, which is not verified and does not roll up to a verified CA certificate"
                + (walked.Count > 0 ? $" (uploaded: {string.Join(" <- ", walked)})" : " (neither it nor an issuer of it is uploaded)")
                + ": upload it or the CA above it (PUT /certificates/{name}), prove possession of its private key "
                + "(POST /certificates/{name}/generateVerificationCode, sign a verification certificate with CN = the code, POST /certificates/{name}/verify; "
                + "or 'bringup ca upload --ca NAME' and 'bringup ca verify --ca NAME'), then create the group");
        }
        finally
        {
            foreach (var (_, certificate) in loaded)
                certificate.Dispose();
        }
    }

    /// <summary>The CA certificate a group refers to by name.</summary>
    /// <exception cref="RestException">400 when no CA certificate has that name.</exception>
    public static async Task<CaCertificateEntry> ResolveReferenceAsync(string name, IProvisioningStore store, CancellationToken cancellationToken) =>
        await store.GetCertificateAsync(name, cancellationToken)
            ?? throw RestException.BadField("attestation.x509.caReferences.primary",
                $"names the CA certificate '{name}', which is not uploaded; upload it first (PUT /certificates/{name} or 'bringup ca upload --ca {name}')");
}
