using ProvisioningEndpoint.Model;

namespace ProvisioningEndpoint.OperatorConsole.Entries;

/// <summary>
/// What deleting an enrollment entry does to its devices (DESIGN.md, "Unprovisioning"): the entry
/// that would take over (<see cref="Registration.EntrySuccessor"/>) is an enabled group, so they
/// enroll again; a disabled one, so they stay refused; or none, so they are refused.
/// </summary>
/// <param name="Successor">The group that would decide instead, or null.</param>
/// <param name="Text">The sentence the page shows.</param>
internal sealed record DeletionWarning(EnrollmentGroup? Successor, string Text)
{
    /// <summary>True when deleting lets the devices enroll again: the page asks for confirmation.</summary>
    public bool LetsDevicesBackIn => Successor is { Status: ProvisioningStatus.Enabled };

    /// <summary>The warning for deleting <paramref name="what"/> (now <paramref name="status"/>), whose devices are <paramref name="devices"/>.</summary>
    public static DeletionWarning For(string what, ProvisioningStatus status, string devices, EnrollmentGroup? successor) => successor switch
    {
        { Status: ProvisioningStatus.Enabled } => new(successor,
            $"Deleting {what} lets {devices} enroll again through enrollment group '{successor.EnrollmentGroupId}', which is enabled, " +
            $"higher up the chain (signing certificate \"{CertificateSubject(successor)}\"). " +
            (status == ProvisioningStatus.Disabled ? "To keep them out, keep it disabled instead." : "To keep them out, disable it instead.")),
        not null => new(successor,
            $"Enrollment group '{successor.EnrollmentGroupId}' higher up the chain is disabled: after deleting {what}, {devices} stay refused."),
        null => new(null, $"No enrollment group higher up the chain would take over: after deleting {what}, {devices} are refused."),
    };

    private static string CertificateSubject(EnrollmentGroup group) => Pages.CertificateFacts.Of(group.SigningCertificate).Subject;
}
