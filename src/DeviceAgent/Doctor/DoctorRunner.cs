using DeviceAgent.Doctor.Checks;
using DeviceAgent.Identity;
using DeviceAgent.Tpm.Transport;

namespace DeviceAgent.Doctor;

/// <summary>Runs the checks in order: each one may rely on what the ones before it established.</summary>
public static class DoctorRunner
{
    /// <summary>The checks, in the order they run.</summary>
    public static IReadOnlyList<IDoctorCheck> Checks { get; } =
    [
        new TpmReachableCheck(),
        new TpmAttestationKeysCheck(),
        new ModuleLoadsCheck(),
        new TokenPresentCheck(),
        new PinAcceptedCheck(),
        new DeviceKeyCheck(),
        new ChainBundleCheck(),
        new TlsProbeCheck(),
        new DpsEndpointCheck(),
        new AssignedHubCheck(),
    ];

    /// <summary>Runs every check, reporting each as it completes.</summary>
    public static async Task<DoctorReport> RunAsync(DoctorSettings settings, Action<DoctorCheckResult>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var backends = AgentKeyBackends.Create(settings.AllowSoftwareKey, settings.Tpm ?? TpmSpec.Default);
        using var context = new DoctorContext(settings, backends);
        var results = new List<DoctorCheckResult>();
        foreach (var check in Checks)
        {
            DoctorCheckResult result;
            try
            {
                result = settings.TpmAttestation && check is not (TpmReachableCheck or TpmAttestationKeysCheck)
                    ? check.Skipped("provisioning.attestation is \"tpm\": the TPM's endorsement key attests the device, no device key or certificate chain")
                    : await check.RunAsync(context, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // A check that throws unexpectedly is a failed check, reported with its reason; the others still run.
            catch (Exception e)
#pragma warning restore CA1031
            {
                result = new DoctorCheckResult(check.Id, check.Title, DoctorCheckStatus.Failed, $"{e.GetType().Name}: {e.Message}");
            }
            context.Record(result);
            results.Add(result);
            progress?.Invoke(result);
        }
        return new DoctorReport(results);
    }
}
