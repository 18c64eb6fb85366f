using Microsoft.AspNetCore.Mvc;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.OperatorConsole.Entries;
using ProvisioningEndpoint.Registration;
using ProvisioningEndpoint.Rest.Enrollments;
using ProvisioningEndpoint.Rest.Http;
using ProvisioningEndpoint.Setup;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.OperatorConsole.Pages;

/// <summary>One individual enrollment: enable, disable (a PUT with the new status), delete with the warning that names the group that would take over.</summary>
internal sealed class EnrollmentDetailsModel(IProvisioningStore store, EndpointConfiguration configuration, TimeProvider clock, Issuance.IssuerStore issuers,
    EntrySuccessor successors) : ConsolePageModel
{
    [BindProperty(SupportsGet = true)]
    public string Id { get; set; } = "";

    [BindProperty]
    public bool Confirm { get; set; }

    public IndividualEnrollment? Enrollment { get; private set; }

    public CertificateFacts? Facts { get; private set; }

    public DeletionWarning? Warning { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Enrollment = await store.GetIndividualEnrollmentAsync(Id, cancellationToken);
        if (Enrollment is null)
            return NotFound();
        Facts = Enrollment.IsTpm ? null : CertificateFacts.Of(Enrollment.ClientCertificate);
        Warning = await WarningAsync(Enrollment, cancellationToken);
        return Page();
    }

    public Task<IActionResult> OnPostEnableAsync(CancellationToken cancellationToken) => SetStatusAsync(ProvisioningStatus.Enabled, cancellationToken);

    public Task<IActionResult> OnPostDisableAsync(CancellationToken cancellationToken) => SetStatusAsync(ProvisioningStatus.Disabled, cancellationToken);

    public Task<IActionResult> OnPostDeleteAsync(CancellationToken cancellationToken) => ChangeAsync(async () =>
    {
        var enrollment = await Current(cancellationToken);
        var warning = await WarningAsync(enrollment, cancellationToken);
        if (warning.LetsDevicesBackIn && !Confirm)
            throw RestException.Conflict($"not deleted: {warning.Text} Tick 'Delete anyway' to delete it all the same.");
        await DeleteIndividualEnrollment.ApplyAsync(Id, new IfMatch(true, enrollment.Etag), store, cancellationToken);
        return $"deleted individual enrollment '{Id}'. {warning.Text}";
    }, () => OnGetAsync(cancellationToken), "/console/enrollments");

    private Task<IActionResult> SetStatusAsync(ProvisioningStatus status, CancellationToken cancellationToken) => ChangeAsync(async () =>
    {
        var enrollment = await Current(cancellationToken);
        var wire = IndividualEnrollmentMapping.ToWire(enrollment, null, configuration.Hubs);
        wire.ProvisioningStatus = status == ProvisioningStatus.Enabled ? "enabled" : "disabled";
        await PutIndividualEnrollment.ApplyAsync(Id, wire, new IfMatch(true, enrollment.Etag), store, configuration, clock, issuers, cancellationToken);
        return status == ProvisioningStatus.Enabled
            ? $"enabled individual enrollment '{Id}'"
            : $"disabled individual enrollment '{Id}': the device is refused at its next registration";
    }, () => OnGetAsync(cancellationToken));

    private async Task<IndividualEnrollment> Current(CancellationToken cancellationToken) =>
        await store.GetIndividualEnrollmentAsync(Id, cancellationToken) ?? throw RestException.NotFound($"there is no individual enrollment '{Id}' (deleted meanwhile?)");

    private async Task<DeletionWarning> WarningAsync(IndividualEnrollment enrollment, CancellationToken cancellationToken) =>
        DeletionWarning.For($"enrollment '{enrollment.RegistrationId}'", enrollment.Status, $"device '{enrollment.RegistrationId}'", await successors.ForIndividualAsync(enrollment, cancellationToken));
}
