namespace DeviceAgent.Pki.Chains;

/// <summary>The outcome of one named check.</summary>
public enum ChainCheckStatus
{
    /// <summary>Every certificate the check looked at satisfies its rules.</summary>
    Passed,

    /// <summary>At least one certificate breaks a rule; see <see cref="ChainCheckResult.Violations"/>.</summary>
    Failed,

    /// <summary>The check did not run (nothing to check it against: no device key, no trust anchors).</summary>
    Skipped,
}
