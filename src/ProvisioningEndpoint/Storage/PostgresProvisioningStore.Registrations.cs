using Npgsql;
using ProvisioningEndpoint.Model;

namespace ProvisioningEndpoint.Storage;

// Device registration records.
public sealed partial class PostgresProvisioningStore
{
    private const string RegistrationColumns =
        "registration_id, operation_id, status, substatus, assigned_hub, device_id, error_code, error_message, " +
        "enrollment_kind, enrollment_id, payload, certificate_thumbprint, etag, created, updated, issued_chain";

    /// <inheritdoc />
    public async Task<RegistrationRecord?> GetRegistrationAsync(string registrationId, CancellationToken cancellationToken = default) =>
        (await QueryAsync($"SELECT {RegistrationColumns} FROM registrations WHERE registration_id = @id", ReadRegistration,
            cancellationToken, ("id", registrationId)).ConfigureAwait(false)).SingleOrDefault();

    /// <inheritdoc />
    public async Task<RegistrationRecord?> GetRegistrationByOperationAsync(string operationId, CancellationToken cancellationToken = default) =>
        (await QueryAsync($"SELECT {RegistrationColumns} FROM registrations WHERE operation_id = @operation", ReadRegistration,
            cancellationToken, ("operation", operationId)).ConfigureAwait(false)).SingleOrDefault();

    /// <inheritdoc />
    public async Task<IReadOnlyList<RegistrationRecord>> ListRegistrationsByEnrollmentGroupAsync(string enrollmentGroupId, CancellationToken cancellationToken = default) =>
        await QueryAsync($"SELECT {RegistrationColumns} FROM registrations WHERE enrollment_kind = 'Group' AND enrollment_id = @id ORDER BY registration_id",
            ReadRegistration, cancellationToken, ("id", enrollmentGroupId)).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<IReadOnlyList<RegistrationRecord>> ListRegistrationsAsync(CancellationToken cancellationToken = default) =>
        await QueryAsync($"SELECT {RegistrationColumns} FROM registrations ORDER BY registration_id", ReadRegistration, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public Task PutRegistrationAsync(RegistrationRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return InTransactionAsync((connection, transaction) => UpsertRegistrationAsync(connection, transaction, record, cancellationToken), cancellationToken);
    }

    /// <inheritdoc />
    public Task PutAssignmentAsync(HubDevice device, RegistrationRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(record);
        return InTransactionAsync(async (connection, transaction) =>
        {
            await UpsertHubDeviceAsync(connection, transaction, device, cancellationToken).ConfigureAwait(false);
            return await UpsertRegistrationAsync(connection, transaction, record, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    private static Task<int> UpsertRegistrationAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, RegistrationRecord record, CancellationToken cancellationToken) =>
        Execute(connection,
            $"""
            INSERT INTO registrations ({RegistrationColumns})
            VALUES (@id, @operation, @status, @substatus, @hub, @device, @code, @message, @kind, @enrollment, @payload, @thumbprint, @etag, @created, @updated, @chain)
            ON CONFLICT (registration_id) DO UPDATE SET operation_id = excluded.operation_id, status = excluded.status,
                substatus = excluded.substatus, assigned_hub = excluded.assigned_hub, device_id = excluded.device_id,
                error_code = excluded.error_code, error_message = excluded.error_message, enrollment_kind = excluded.enrollment_kind,
                enrollment_id = excluded.enrollment_id, payload = excluded.payload, certificate_thumbprint = excluded.certificate_thumbprint,
                etag = excluded.etag, updated = excluded.updated, issued_chain = excluded.issued_chain
            """, cancellationToken, transaction, ("chain", record.IssuedCertificateChain),
            ("id", record.RegistrationId), ("operation", record.OperationId), ("status", record.Status), ("substatus", record.Substatus),
            ("hub", record.AssignedHub), ("device", record.DeviceId), ("code", record.ErrorCode), ("message", record.ErrorMessage),
            ("kind", record.EnrollmentKind.ToString()), ("enrollment", record.EnrollmentId), ("payload", record.PayloadJson),
            ("thumbprint", record.CertificateThumbprint), ("etag", record.Etag),
            ("created", Time(record.CreatedUtc)), ("updated", Time(record.UpdatedUtc)));

    /// <inheritdoc />
    public Task<bool> DeleteRegistrationAsync(string registrationId, string? ifMatch, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            await CheckEtagAsync(connection, transaction, "SELECT etag FROM registrations WHERE registration_id = @id", ifMatch,
                $"registration '{registrationId}'", cancellationToken, ("id", registrationId)).ConfigureAwait(false);
            return await Execute(connection, "DELETE FROM registrations WHERE registration_id = @id", cancellationToken, transaction,
                ("id", registrationId)).ConfigureAwait(false) > 0;
        }, cancellationToken);

    private static RegistrationRecord ReadRegistration(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.GetString(2), NullableString(r, 3), NullableString(r, 4), NullableString(r, 5),
        r.IsDBNull(6) ? null : r.GetInt32(6), NullableString(r, 7), Enum.Parse<EnrollmentKind>(r.GetString(8)),
        NullableString(r, 9), NullableString(r, 10), NullableString(r, 11), r.GetString(12), Time(r, 13), Time(r, 14), NullableString(r, 15));
}
