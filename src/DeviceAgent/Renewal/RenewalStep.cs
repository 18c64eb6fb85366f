namespace DeviceAgent.Renewal;

/// <summary>
/// The steps of a renewal, in order, as <see cref="CertificateRenewal.StepReached"/> reports them. A
/// crash after any of them leaves the device a working identity: the old one until
/// <see cref="Committed"/>, then the new one (see <see cref="State.PendingRenewal"/>).
/// </summary>
public enum RenewalStep
{
    /// <summary>The pending renewal (its new key's reference) is in the state; no key exists yet.</summary>
    Started,
    /// <summary>The new key exists in the token/TPM.</summary>
    KeyGenerated,
    /// <summary>The token signed the CSR.</summary>
    CsrSigned,
    /// <summary>The service issued the chain (the hub now accepts both leaves).</summary>
    Issued,
    /// <summary>The checked chain is stored and named by the pending renewal.</summary>
    ChainStored,
    /// <summary>The new identity connected to the hub (which retires the old leaf there).</summary>
    Connected,
    /// <summary>The state names the new credential; the old key waits for its grace period.</summary>
    Committed,
    /// <summary>A renewal that failed (or was interrupted) was undone: its key destroyed, the old identity kept.</summary>
    RolledBack,
    /// <summary>The replaced key was destroyed after its grace period (reported before the state forgets it).</summary>
    OldKeyDestroyed,
}
