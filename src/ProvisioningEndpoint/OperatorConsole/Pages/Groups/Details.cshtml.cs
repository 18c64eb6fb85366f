using Microsoft.AspNetCore.Mvc;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.OperatorConsole.Entries;
using ProvisioningEndpoint.Registration;
using ProvisioningEndpoint.Rest.EnrollmentGroups;
using ProvisioningEndpoint.Rest.Http;
using ProvisioningEndpoint.Setup;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.OperatorConsole.Pages;

/// <summary>
/// One enrollment group: enable and disable (a PUT of the group with the new status, as a REST
/// client makes it), delete with the warning that names the group that would take over, and the
/// devices it decided.
/// </summary>
internal sealed class GroupDetailsModel(IProvisioningStore store, EndpointConfiguration configuration, TimeProvider clock, Issuance.IssuerStore issuers,
    EntrySuccessor successors) : ConsolePageModel
{
    [BindProperty(SupportsGet = true)]
    public string Id { get; set; } = "";

    [BindProperty]
    public bool Confirm { get; set; }

    public EnrollmentGroup? Group { get; private set; }

    public CertificateFacts? Facts { get; private set; }

    public DeletionWarning? Warning { get; private set; }

    public IReadOnlyList<RegistrationRecord> Devices { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Group = await store.GetEnrollmentGroupAsync(Id, cancellationToken);
        if (Group is null)
            return NotFound();
        Facts = CertificateFacts.Of(Group.SigningCertificate);
        Warning = await WarningAsync(Group, cancellationToken);
        Devices = await store.ListRegistrationsByEnrollmentGroupAsync(Id, cancellationToken);
        return Page();
    }

    public Task<IActionResult> OnPostEnableAsync(CancellationToken cancellationToken) => SetStatusAsync(ProvisioningStatus.Enabled, cancellationToken);

    public Task<IActionResult> OnPostDisableAsync(CancellationToken cancellationToken) => SetStatusAsync(ProvisioningStatus.Disabled, cancellationToken);

    public Task<IActionResult> OnPostDeleteAsync(CancellationToken cancellationToken) => ChangeAsync(async () =>
    {
        var group = await Current(cancellationToken);
        var warning = await WarningAsync(group, cancellationToken);
        if (warning.LetsDevicesBackIn && !Confirm)
            throw RestException.Conflict($"not deleted: {warning.Text} Tick 'Delete anyway' to delete it all the same.");
        await DeleteEnrollmentGroup.ApplyAsync(Id, new IfMatch(true, group.Etag), store, cancellationToken);
        return $"deleted enrollment group '{Id}'. {warning.Text}";
    }, () => OnGetAsync(cancellationToken), "/console/groups");

    private Task<IActionResult> SetStatusAsync(ProvisioningStatus status, CancellationToken cancellationToken) => ChangeAsync(async () =>
    {
        var group = await Current(cancellationToken);
        var wire = EnrollmentGroupMapping.ToWire(group, configuration.Hubs);
        wire.ProvisioningStatus = status == ProvisioningStatus.Enabled ? "enabled" : "disabled";
        await PutEnrollmentGroup.ApplyAsync(Id, wire, new IfMatch(true, group.Etag), store, configuration, clock, issuers, cancellationToken);
        if (status == ProvisioningStatus.Enabled)
            return $"enabled enrollment group '{Id}': its devices provision again";
        var warning = await WarningAsync(group with { Status = ProvisioningStatus.Disabled }, cancellationToken);
        return $"disabled enrollment group '{Id}': its devices are refused at their next registration. {warning.Text}";
    }, () => OnGetAsync(cancellationToken));

    private async Task<EnrollmentGroup> Current(CancellationToken cancellationToken) =>
        await store.GetEnrollmentGroupAsync(Id, cancellationToken) ?? throw RestException.NotFound($"there is no enrollment group '{Id}' (deleted meanwhile?)");

    private async Task<DeletionWarning> WarningAsync(EnrollmentGroup group, CancellationToken cancellationToken) =>
        DeletionWarning.For($"group '{group.EnrollmentGroupId}'", group.Status, "its devices", await successors.ForGroupAsync(group, cancellationToken));
}
