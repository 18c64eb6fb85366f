using DeviceAgent.Identity;
using DeviceAgent.State;

namespace DeviceAgent.Renewal;

/// <summary>
/// A renewal issued and stored but not committed: the new identity, opened and ready for TLS, and
/// the state that names it as pending. Connect with <see cref="Identity"/> to <see cref="Assignment"/>'s
/// hub, then <see cref="CertificateRenewal.Commit"/>; on failure <see cref="CertificateRenewal.RollBack"/>.
/// The caller disposes <see cref="Identity"/> unless it keeps it.
/// </summary>
/// <param name="Identity">The new identity.</param>
/// <param name="State">The saved state (its <see cref="AgentState.PendingRenewal"/> names the new key and chain).</param>
public sealed record RenewalCandidate(DeviceIdentity Identity, AgentState State)
{
    /// <summary>Which service issued the chain: "hub" (issueCertificate) or "dps" (re-registration with the csr).</summary>
    public string IssuedOver { get; init; } = "dps";

    /// <summary>Why the hub did not issue when it was asked first (refused, no answer, connection lost), so DPS did; else null.</summary>
    public string? HubDeclined { get; init; }

    /// <summary>The state to connect with: the pending renewal's hub and device id, the new thumbprint.</summary>
    public AgentState Assignment => State with
    {
        AssignedHub = State.PendingRenewal!.AssignedHub ?? State.AssignedHub,
        DeviceId = State.PendingRenewal.DeviceId ?? State.DeviceId,
        CertificateThumbprint = State.PendingRenewal.Thumbprint ?? State.CertificateThumbprint,
    };
}
