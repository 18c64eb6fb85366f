using System.Security.Cryptography.X509Certificates;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Tests.Support;

/// <summary>Arranges endpoint state directly in the store (the REST API has its own tests).</summary>
internal static class Arrange
{
    public static Task UploadCaAsync(this IProvisioningStore store, string name, X509Certificate2 certificate, bool verified) =>
        store.PutCertificateAsync(new CaCertificateEntry(name, certificate.RawData, verified, null, null, Etags.New(), DateTimeOffset.UtcNow, DateTimeOffset.UtcNow), null);

    public static Task PutGroupAsync(this IProvisioningStore store, string id, X509Certificate2 signingCertificate, ProvisioningStatus status = ProvisioningStatus.Enabled,
        AllocationSettings? allocation = null, string? initialTwin = null) =>
        store.PutEnrollmentGroupAsync(new EnrollmentGroup(id, signingCertificate.RawData, null, status, initialTwin, allocation ?? AllocationSettings.Default,
            Etags.New(), DateTimeOffset.UtcNow, DateTimeOffset.UtcNow), null);

    public static Task PutIndividualAsync(this IProvisioningStore store, string registrationId, X509Certificate2 leaf, ProvisioningStatus status = ProvisioningStatus.Enabled,
        string? ifMatch = null) =>
        store.PutIndividualEnrollmentAsync(new IndividualEnrollment(registrationId, leaf.RawData, null, status, null, AllocationSettings.Default,
            Etags.New(), DateTimeOffset.UtcNow, DateTimeOffset.UtcNow), ifMatch);
}
