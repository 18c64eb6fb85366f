namespace DeviceAgent.Doctor.Checks;

/// <summary>Shorthands for the results of a check.</summary>
internal static class CheckResults
{
    public static DoctorCheckResult Ok(this IDoctorCheck check, string detail) => new(check.Id, check.Title, DoctorCheckStatus.Ok, detail);

    public static DoctorCheckResult Warning(this IDoctorCheck check, string detail) => new(check.Id, check.Title, DoctorCheckStatus.Warning, detail);

    public static DoctorCheckResult Failed(this IDoctorCheck check, string detail) => new(check.Id, check.Title, DoctorCheckStatus.Failed, detail);

    public static DoctorCheckResult Skipped(this IDoctorCheck check, string detail) => new(check.Id, check.Title, DoctorCheckStatus.Skipped, detail);

    /// <summary>Skips when a prerequisite did not pass; null when it did.</summary>
    public static DoctorCheckResult? SkipUnlessPassed(this IDoctorCheck check, DoctorContext context, string prerequisite, string title) =>
        context.OutcomeOf(prerequisite) is DoctorCheckStatus.Ok or DoctorCheckStatus.Warning
            ? null
            : check.Skipped($"not run: the check \"{title}\" did not pass");

    public static Task<DoctorCheckResult> AsTask(this DoctorCheckResult result) => Task.FromResult(result);
}
