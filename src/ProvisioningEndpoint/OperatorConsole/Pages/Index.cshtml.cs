using ProvisioningEndpoint.Setup;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.OperatorConsole.Pages;

/// <summary>The overview: how many of each thing the endpoint holds.</summary>
internal sealed class IndexModel(IProvisioningStore store, EndpointConfiguration configuration) : ConsolePageModel
{
    public string IdScope => configuration.IdScope;

    public int Certificates { get; private set; }

    public int Unverified { get; private set; }

    public int Groups { get; private set; }

    public int Individuals { get; private set; }

    public int Registrations { get; private set; }

    public int Hubs => configuration.Hubs.Count;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var certificates = await store.ListCertificatesAsync(cancellationToken);
        Certificates = certificates.Count;
        Unverified = certificates.Count(c => !c.IsVerified);
        Groups = (await store.ListEnrollmentGroupsAsync(cancellationToken)).Count;
        Individuals = (await store.ListIndividualEnrollmentsAsync(cancellationToken)).Count;
        Registrations = (await store.ListRegistrationsAsync(cancellationToken)).Count;
    }
}
