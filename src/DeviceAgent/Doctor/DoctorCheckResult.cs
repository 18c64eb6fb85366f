namespace DeviceAgent.Doctor;

/// <summary>The outcome of one check.</summary>
public enum DoctorCheckStatus
{
    /// <summary>The check passed.</summary>
    Ok,
    /// <summary>It passed, but something deserves attention.</summary>
    Warning,
    /// <summary>It failed: the agent cannot work this way.</summary>
    Failed,
    /// <summary>It was not run: a check it depends on failed, or it does not apply.</summary>
    Skipped,
}

/// <summary>One check's outcome, with what it found and, when it failed, the cause and the fix.</summary>
/// <param name="Id">Stable identifier for scripts, e.g. <c>pkcs11-module</c>.</param>
/// <param name="Title">What the check proves, e.g. "PKCS#11 module loads".</param>
/// <param name="Status">The outcome.</param>
/// <param name="Detail">What was found, or why it failed.</param>
public sealed record DoctorCheckResult(string Id, string Title, DoctorCheckStatus Status, string Detail);

/// <summary>All checks of one run.</summary>
/// <param name="Checks">In the order they ran.</param>
public sealed record DoctorReport(IReadOnlyList<DoctorCheckResult> Checks)
{
    /// <summary>True when no check failed (warnings and skips of inapplicable checks allowed).</summary>
    public bool Passed => Checks.All(c => c.Status != DoctorCheckStatus.Failed);
}
