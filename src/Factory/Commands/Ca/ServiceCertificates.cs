using System.Security.Cryptography.X509Certificates;
using Factory.Cli;
using Factory.Endpoint;
using Factory.Output;

namespace Factory.Commands.Ca;

/// <summary>A CA's certificate on the provisioning service, as <c>ca upload</c> and <c>ca verify</c> need it.</summary>
internal static class ServiceCertificates
{
    /// <summary>The service's resource for the CA, uploaded now when it has none (Uploaded = true).</summary>
    /// <exception cref="ProvisioningServiceException">The service holds another certificate under that name, or refused.</exception>
    public static async Task<(CertificateResource Resource, bool Uploaded)> EnsureUploadedAsync(ProvisioningServiceClient client, string name,
        X509Certificate2 certificate, CancellationToken cancellationToken)
    {
        var existing = await client.GetCertificateAsync(name, cancellationToken);
        if (existing is null)
            return (await client.UploadCertificateAsync(name, certificate.ExportCertificatePem(), cancellationToken), true);
        if (!string.Equals(existing.Properties?.Thumbprint, certificate.Thumbprint, StringComparison.OrdinalIgnoreCase))
        {
            throw new ProvisioningServiceException("endpoint.conflict", 409,
                $"the service holds another certificate as '{name}' (\"{existing.Properties?.Subject}\", thumbprint {existing.Properties?.Thumbprint}), " +
                $"not CA '{name}' of the store (\"{certificate.Subject}\", thumbprint {certificate.Thumbprint})",
                "check --ca-dir, or delete the certificate on the service first");
        }
        return (existing, false);
    }

    /// <summary>Prints a certificate resource.</summary>
    public static void Report(Reporter reporter, string headline, string outcome, CertificateResource resource)
    {
        var properties = resource.Properties;
        reporter.Result(new ServiceCertificateResult(true, resource.Name ?? "", outcome, properties?.Subject, properties?.Thumbprint,
            properties?.IsVerified ?? false, properties?.Expiry), ManagementJson.Default.ServiceCertificateResult);
        reporter.Line(headline);
        reporter.Field("subject", properties?.Subject);
        reporter.Field("SHA-1", properties?.Thumbprint);
        reporter.Field("status", properties?.IsVerified == true ? "Verified" : "Unverified");
    }
}
