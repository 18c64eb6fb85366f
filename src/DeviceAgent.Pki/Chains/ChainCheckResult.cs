namespace DeviceAgent.Pki.Chains;

/// <summary>The outcome of one named check of a chain, as a doctor reports it.</summary>
/// <param name="Name">A stable, lower-case name ("order", "validity", "leaf-client-auth"), for scripts.</param>
/// <param name="Status">Passed, failed or skipped.</param>
/// <param name="Summary">One line: what was found to be right, what failed first, or why the check was skipped.</param>
/// <param name="Violations">Every broken rule the check found; empty unless <see cref="Status"/> is <see cref="ChainCheckStatus.Failed"/>.</param>
public sealed record ChainCheckResult(string Name, ChainCheckStatus Status, string Summary, IReadOnlyList<ChainViolation> Violations)
{
    internal static ChainCheckResult Passed(string name, string summary) => new(name, ChainCheckStatus.Passed, summary, []);

    internal static ChainCheckResult Skipped(string name, string reason) => new(name, ChainCheckStatus.Skipped, reason, []);

    internal static ChainCheckResult From(string name, IReadOnlyList<ChainViolation> violations, string passedSummary) =>
        violations.Count == 0
            ? Passed(name, passedSummary)
            : new(name, ChainCheckStatus.Failed, violations[0].Message, violations);
}
