namespace DeviceAgent.Doctor;

/// <summary>One check of <c>deviceagent doctor</c>. Checks run in order and share a <see cref="DoctorContext"/>.</summary>
public interface IDoctorCheck
{
    /// <summary>Stable identifier, e.g. <c>pkcs11-module</c>.</summary>
    string Id { get; }

    /// <summary>What the check proves.</summary>
    string Title { get; }

    /// <summary>Runs the check. Never throws for a finding: failures are results.</summary>
    Task<DoctorCheckResult> RunAsync(DoctorContext context, CancellationToken cancellationToken);
}
