using ProvisioningEndpoint.Model;

namespace ProvisioningEndpoint.Storage;

/// <summary>
/// Where the endpoint keeps its state: CA certificates, enrollments, registration records, hub
/// registries and telemetry. Writes that take an <c>ifMatch</c> etag fail with
/// <see cref="StoreConflictException"/> when it is not the current one (DPS and IoT Hub answer
/// 412). Implementations are safe for concurrent use by several endpoint instances.
/// </summary>
public interface IProvisioningStore
{
    /// <summary>A CA certificate by name, or null.</summary>
    Task<CaCertificateEntry?> GetCertificateAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>All CA certificates, by name.</summary>
    Task<IReadOnlyList<CaCertificateEntry>> ListCertificatesAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates or replaces a CA certificate.</summary>
    /// <exception cref="StoreConflictException"><paramref name="ifMatch"/> is not the current etag.</exception>
    Task PutCertificateAsync(CaCertificateEntry entry, string? ifMatch, CancellationToken cancellationToken = default);

    /// <summary>Deletes a CA certificate; false if it did not exist.</summary>
    /// <exception cref="StoreConflictException"><paramref name="ifMatch"/> is not the current etag.</exception>
    Task<bool> DeleteCertificateAsync(string name, string? ifMatch, CancellationToken cancellationToken = default);

    /// <summary>An enrollment group by id, or null.</summary>
    Task<EnrollmentGroup?> GetEnrollmentGroupAsync(string enrollmentGroupId, CancellationToken cancellationToken = default);

    /// <summary>The enrollment group bound to a signing certificate (by SHA-1 thumbprint), or null.</summary>
    Task<EnrollmentGroup?> FindEnrollmentGroupBySigningCertificateAsync(string thumbprint, CancellationToken cancellationToken = default);

    /// <summary>All enrollment groups, by id.</summary>
    Task<IReadOnlyList<EnrollmentGroup>> ListEnrollmentGroupsAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates or replaces an enrollment group.</summary>
    /// <exception cref="StoreConflictException">Etag mismatch, or another group is bound to the same signing certificate.</exception>
    Task PutEnrollmentGroupAsync(EnrollmentGroup group, string? ifMatch, CancellationToken cancellationToken = default);

    /// <summary>Deletes an enrollment group; false if it did not exist.</summary>
    /// <exception cref="StoreConflictException"><paramref name="ifMatch"/> is not the current etag.</exception>
    Task<bool> DeleteEnrollmentGroupAsync(string enrollmentGroupId, string? ifMatch, CancellationToken cancellationToken = default);

    /// <summary>An individual enrollment by registration id, or null.</summary>
    Task<IndividualEnrollment?> GetIndividualEnrollmentAsync(string registrationId, CancellationToken cancellationToken = default);

    /// <summary>All individual enrollments, by registration id.</summary>
    Task<IReadOnlyList<IndividualEnrollment>> ListIndividualEnrollmentsAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates or replaces an individual enrollment.</summary>
    /// <exception cref="StoreConflictException"><paramref name="ifMatch"/> is not the current etag.</exception>
    Task PutIndividualEnrollmentAsync(IndividualEnrollment enrollment, string? ifMatch, CancellationToken cancellationToken = default);

    /// <summary>Deletes an individual enrollment; false if it did not exist.</summary>
    /// <exception cref="StoreConflictException"><paramref name="ifMatch"/> is not the current etag.</exception>
    Task<bool> DeleteIndividualEnrollmentAsync(string registrationId, string? ifMatch, CancellationToken cancellationToken = default);

    /// <summary>A registration record by registration id, or null.</summary>
    Task<RegistrationRecord?> GetRegistrationAsync(string registrationId, CancellationToken cancellationToken = default);

    /// <summary>A registration record by the operation id of its last registration, or null.</summary>
    Task<RegistrationRecord?> GetRegistrationByOperationAsync(string operationId, CancellationToken cancellationToken = default);

    /// <summary>The registration records decided by an enrollment group.</summary>
    Task<IReadOnlyList<RegistrationRecord>> ListRegistrationsByEnrollmentGroupAsync(string enrollmentGroupId, CancellationToken cancellationToken = default);

    /// <summary>All registration records.</summary>
    Task<IReadOnlyList<RegistrationRecord>> ListRegistrationsAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates or replaces a registration record (last writer wins: a device's own registrations are serialised).</summary>
    Task PutRegistrationAsync(RegistrationRecord record, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records an assignment atomically: the device in its hub's registry and its registration
    /// record, in one transaction, so that after a crash they never disagree.
    /// </summary>
    Task PutAssignmentAsync(HubDevice device, RegistrationRecord record, CancellationToken cancellationToken = default);

    /// <summary>Deletes a registration record; false if it did not exist.</summary>
    /// <exception cref="StoreConflictException"><paramref name="ifMatch"/> is not the current etag.</exception>
    Task<bool> DeleteRegistrationAsync(string registrationId, string? ifMatch, CancellationToken cancellationToken = default);

    /// <summary>A device of a hub's registry, or null.</summary>
    Task<HubDevice?> GetHubDeviceAsync(string hub, string deviceId, CancellationToken cancellationToken = default);

    /// <summary>The devices of a hub's registry, by id.</summary>
    Task<IReadOnlyList<HubDevice>> ListHubDevicesAsync(string hub, CancellationToken cancellationToken = default);

    /// <summary>Creates or replaces a hub device.</summary>
    /// <exception cref="StoreConflictException"><paramref name="ifMatch"/> is not the current etag.</exception>
    Task PutHubDeviceAsync(HubDevice device, string? ifMatch, CancellationToken cancellationToken = default);

    /// <summary>Deletes a hub device; false if it did not exist.</summary>
    /// <exception cref="StoreConflictException"><paramref name="ifMatch"/> is not the current etag.</exception>
    Task<bool> DeleteHubDeviceAsync(string hub, string deviceId, string? ifMatch, CancellationToken cancellationToken = default);

    /// <summary>Records a telemetry message, keeping at most <paramref name="keepPerDevice"/> per device (oldest dropped).</summary>
    Task AddTelemetryAsync(TelemetryMessage message, int keepPerDevice, CancellationToken cancellationToken = default);

    /// <summary>The newest telemetry of a device, newest last.</summary>
    Task<IReadOnlyList<TelemetryMessage>> ListTelemetryAsync(string hub, string deviceId, int limit, CancellationToken cancellationToken = default);

    /// <summary>A TPM device's registration keys, or null.</summary>
    Task<TpmRegistration?> GetTpmRegistrationAsync(string registrationId, CancellationToken cancellationToken = default);

    /// <summary>Creates or replaces a TPM device's registration keys.</summary>
    Task PutTpmRegistrationAsync(TpmRegistration registration, CancellationToken cancellationToken = default);

    /// <summary>The symmetric key a hub authenticates a device's SAS tokens with, or null (X.509 devices).</summary>
    Task<byte[]?> GetHubDeviceKeyAsync(string hub, string deviceId, CancellationToken cancellationToken = default);

    /// <summary>Sets the symmetric key a hub authenticates a device's SAS tokens with.</summary>
    Task PutHubDeviceKeyAsync(string hub, string deviceId, byte[] symmetricKey, CancellationToken cancellationToken = default);
}
