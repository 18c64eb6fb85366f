using System.Diagnostics;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Observability;

/// <summary>
/// Times every operation of any <see cref="IProvisioningStore"/> (SQLite, PostgreSQL, ...) into
/// <c>provisioning_endpoint_store_operation_duration_seconds</c>, labelled with the operation (the
/// interface method, without Async) and its result: ok, conflict (<see cref="StoreConflictException"/>,
/// a 412 to the caller), cancelled, or error (any other exception, which propagates unchanged). Adds no
/// behaviour: results, exceptions and cancellation pass through; as thread-safe as the inner store.
/// Owns the inner store: disposing the decorator disposes it (when it is disposable).
/// </summary>
/// <param name="inner">The store measured.</param>
/// <param name="metrics">Where the measurements go.</param>
public sealed class MeteredProvisioningStore(IProvisioningStore inner, EndpointMetrics metrics) : IProvisioningStore, IAsyncDisposable
{
    /// <summary>Disposes the inner store.</summary>
    public async ValueTask DisposeAsync()
    {
        if (inner is IAsyncDisposable asyncDisposable)
            await asyncDisposable.DisposeAsync().ConfigureAwait(false);
        else if (inner is IDisposable disposable)
            disposable.Dispose();
    }

    /// <summary>The store measured.</summary>
    public IProvisioningStore Inner => inner;

    /// <inheritdoc />
    public Task<CaCertificateEntry?> GetCertificateAsync(string name, CancellationToken cancellationToken = default) =>
        MeasureAsync("GetCertificate", () => inner.GetCertificateAsync(name, cancellationToken));

    /// <inheritdoc />
    public Task<IReadOnlyList<CaCertificateEntry>> ListCertificatesAsync(CancellationToken cancellationToken = default) =>
        MeasureAsync("ListCertificates", () => inner.ListCertificatesAsync(cancellationToken));

    /// <inheritdoc />
    public Task PutCertificateAsync(CaCertificateEntry entry, string? ifMatch, CancellationToken cancellationToken = default) =>
        MeasureAsync("PutCertificate", () => inner.PutCertificateAsync(entry, ifMatch, cancellationToken));

    /// <inheritdoc />
    public Task<bool> DeleteCertificateAsync(string name, string? ifMatch, CancellationToken cancellationToken = default) =>
        MeasureAsync("DeleteCertificate", () => inner.DeleteCertificateAsync(name, ifMatch, cancellationToken));

    /// <inheritdoc />
    public Task<EnrollmentGroup?> GetEnrollmentGroupAsync(string enrollmentGroupId, CancellationToken cancellationToken = default) =>
        MeasureAsync("GetEnrollmentGroup", () => inner.GetEnrollmentGroupAsync(enrollmentGroupId, cancellationToken));

    /// <inheritdoc />
    public Task<EnrollmentGroup?> FindEnrollmentGroupBySigningCertificateAsync(string thumbprint, CancellationToken cancellationToken = default) =>
        MeasureAsync("FindEnrollmentGroupBySigningCertificate", () => inner.FindEnrollmentGroupBySigningCertificateAsync(thumbprint, cancellationToken));

    /// <inheritdoc />
    public Task<IReadOnlyList<EnrollmentGroup>> ListEnrollmentGroupsAsync(CancellationToken cancellationToken = default) =>
        MeasureAsync("ListEnrollmentGroups", () => inner.ListEnrollmentGroupsAsync(cancellationToken));

    /// <inheritdoc />
    public Task PutEnrollmentGroupAsync(EnrollmentGroup group, string? ifMatch, CancellationToken cancellationToken = default) =>
        MeasureAsync("PutEnrollmentGroup", () => inner.PutEnrollmentGroupAsync(group, ifMatch, cancellationToken));

    /// <inheritdoc />
    public Task<bool> DeleteEnrollmentGroupAsync(string enrollmentGroupId, string? ifMatch, CancellationToken cancellationToken = default) =>
        MeasureAsync("DeleteEnrollmentGroup", () => inner.DeleteEnrollmentGroupAsync(enrollmentGroupId, ifMatch, cancellationToken));

    /// <inheritdoc />
    public Task<IndividualEnrollment?> GetIndividualEnrollmentAsync(string registrationId, CancellationToken cancellationToken = default) =>
        MeasureAsync("GetIndividualEnrollment", () => inner.GetIndividualEnrollmentAsync(registrationId, cancellationToken));

    /// <inheritdoc />
    public Task<IReadOnlyList<IndividualEnrollment>> ListIndividualEnrollmentsAsync(CancellationToken cancellationToken = default) =>
        MeasureAsync("ListIndividualEnrollments", () => inner.ListIndividualEnrollmentsAsync(cancellationToken));

    /// <inheritdoc />
    public Task PutIndividualEnrollmentAsync(IndividualEnrollment enrollment, string? ifMatch, CancellationToken cancellationToken = default) =>
        MeasureAsync("PutIndividualEnrollment", () => inner.PutIndividualEnrollmentAsync(enrollment, ifMatch, cancellationToken));

    /// <inheritdoc />
    public Task<bool> DeleteIndividualEnrollmentAsync(string registrationId, string? ifMatch, CancellationToken cancellationToken = default) =>
        MeasureAsync("DeleteIndividualEnrollment", () => inner.DeleteIndividualEnrollmentAsync(registrationId, ifMatch, cancellationToken));

    /// <inheritdoc />
    public Task<RegistrationRecord?> GetRegistrationAsync(string registrationId, CancellationToken cancellationToken = default) =>
        MeasureAsync("GetRegistration", () => inner.GetRegistrationAsync(registrationId, cancellationToken));

    /// <inheritdoc />
    public Task<RegistrationRecord?> GetRegistrationByOperationAsync(string operationId, CancellationToken cancellationToken = default) =>
        MeasureAsync("GetRegistrationByOperation", () => inner.GetRegistrationByOperationAsync(operationId, cancellationToken));

    /// <inheritdoc />
    public Task<IReadOnlyList<RegistrationRecord>> ListRegistrationsByEnrollmentGroupAsync(string enrollmentGroupId, CancellationToken cancellationToken = default) =>
        MeasureAsync("ListRegistrationsByEnrollmentGroup", () => inner.ListRegistrationsByEnrollmentGroupAsync(enrollmentGroupId, cancellationToken));

    /// <inheritdoc />
    public Task<IReadOnlyList<RegistrationRecord>> ListRegistrationsAsync(CancellationToken cancellationToken = default) =>
        MeasureAsync("ListRegistrations", () => inner.ListRegistrationsAsync(cancellationToken));

    /// <inheritdoc />
    public Task PutRegistrationAsync(RegistrationRecord record, CancellationToken cancellationToken = default) =>
        MeasureAsync("PutRegistration", () => inner.PutRegistrationAsync(record, cancellationToken));

    /// <inheritdoc />
    public Task PutAssignmentAsync(HubDevice device, RegistrationRecord record, CancellationToken cancellationToken = default) =>
        MeasureAsync("PutAssignment", () => inner.PutAssignmentAsync(device, record, cancellationToken));

    /// <inheritdoc />
    public Task<bool> DeleteRegistrationAsync(string registrationId, string? ifMatch, CancellationToken cancellationToken = default) =>
        MeasureAsync("DeleteRegistration", () => inner.DeleteRegistrationAsync(registrationId, ifMatch, cancellationToken));

    /// <inheritdoc />
    public Task<HubDevice?> GetHubDeviceAsync(string hub, string deviceId, CancellationToken cancellationToken = default) =>
        MeasureAsync("GetHubDevice", () => inner.GetHubDeviceAsync(hub, deviceId, cancellationToken));

    /// <inheritdoc />
    public Task<IReadOnlyList<HubDevice>> ListHubDevicesAsync(string hub, CancellationToken cancellationToken = default) =>
        MeasureAsync("ListHubDevices", () => inner.ListHubDevicesAsync(hub, cancellationToken));

    /// <inheritdoc />
    public Task PutHubDeviceAsync(HubDevice device, string? ifMatch, CancellationToken cancellationToken = default) =>
        MeasureAsync("PutHubDevice", () => inner.PutHubDeviceAsync(device, ifMatch, cancellationToken));

    /// <inheritdoc />
    public Task<bool> DeleteHubDeviceAsync(string hub, string deviceId, string? ifMatch, CancellationToken cancellationToken = default) =>
        MeasureAsync("DeleteHubDevice", () => inner.DeleteHubDeviceAsync(hub, deviceId, ifMatch, cancellationToken));

    /// <inheritdoc />
    public Task AddTelemetryAsync(TelemetryMessage message, int keepPerDevice, CancellationToken cancellationToken = default) =>
        MeasureAsync("AddTelemetry", () => inner.AddTelemetryAsync(message, keepPerDevice, cancellationToken));

    /// <inheritdoc />
    public Task<IReadOnlyList<TelemetryMessage>> ListTelemetryAsync(string hub, string deviceId, int limit, CancellationToken cancellationToken = default) =>
        MeasureAsync("ListTelemetry", () => inner.ListTelemetryAsync(hub, deviceId, limit, cancellationToken));

    /// <inheritdoc />
    public Task<TpmRegistration?> GetTpmRegistrationAsync(string registrationId, CancellationToken cancellationToken = default) =>
        MeasureAsync("GetTpmRegistration", () => inner.GetTpmRegistrationAsync(registrationId, cancellationToken));

    /// <inheritdoc />
    public Task PutTpmRegistrationAsync(TpmRegistration registration, CancellationToken cancellationToken = default) =>
        MeasureAsync("PutTpmRegistration", () => inner.PutTpmRegistrationAsync(registration, cancellationToken));

    /// <inheritdoc />
    public Task<byte[]?> GetHubDeviceKeyAsync(string hub, string deviceId, CancellationToken cancellationToken = default) =>
        MeasureAsync("GetHubDeviceKey", () => inner.GetHubDeviceKeyAsync(hub, deviceId, cancellationToken));

    /// <inheritdoc />
    public Task PutHubDeviceKeyAsync(string hub, string deviceId, byte[] symmetricKey, CancellationToken cancellationToken = default) =>
        MeasureAsync("PutHubDeviceKey", () => inner.PutHubDeviceKeyAsync(hub, deviceId, symmetricKey, cancellationToken));

    private async Task<T> MeasureAsync<T>(string operation, Func<Task<T>> call)
    {
        var started = Stopwatch.GetTimestamp();
        var result = "error";
        try
        {
            var value = await call().ConfigureAwait(false);
            result = "ok";
            return value;
        }
        catch (StoreConflictException)
        {
            result = "conflict";
            throw;
        }
        catch (OperationCanceledException)
        {
            result = "cancelled";
            throw;
        }
        finally
        {
            metrics.StoreOperation(operation, result, Stopwatch.GetElapsedTime(started));
        }
    }

    private async Task MeasureAsync(string operation, Func<Task> call) =>
        await MeasureAsync(operation, async () =>
        {
            await call().ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);
}
