using Npgsql;
using ProvisioningEndpoint.Model;

namespace ProvisioningEndpoint.Storage;

// Enrollment groups and individual enrollments.
public sealed partial class PostgresProvisioningStore
{
    private const string GroupColumns = "id, signing_certificate, ca_reference, status, initial_twin, allocation, etag, created, updated, issuance";
    private const string IndividualColumns = "registration_id, client_certificate, device_id, status, initial_twin, allocation, etag, created, updated, endorsement_key, issuance";

    /// <inheritdoc />
    public async Task<EnrollmentGroup?> GetEnrollmentGroupAsync(string enrollmentGroupId, CancellationToken cancellationToken = default) =>
        (await QueryAsync($"SELECT {GroupColumns} FROM enrollment_groups WHERE id = @id", ReadGroup, cancellationToken,
            ("id", enrollmentGroupId)).ConfigureAwait(false)).SingleOrDefault();

    /// <inheritdoc />
    public async Task<EnrollmentGroup?> FindEnrollmentGroupBySigningCertificateAsync(string thumbprint, CancellationToken cancellationToken = default) =>
        (await QueryAsync($"SELECT {GroupColumns} FROM enrollment_groups WHERE signing_thumbprint = @thumbprint", ReadGroup, cancellationToken,
            ("thumbprint", thumbprint.ToUpperInvariant())).ConfigureAwait(false)).SingleOrDefault();

    /// <inheritdoc />
    public async Task<IReadOnlyList<EnrollmentGroup>> ListEnrollmentGroupsAsync(CancellationToken cancellationToken = default) =>
        await QueryAsync($"SELECT {GroupColumns} FROM enrollment_groups ORDER BY id", ReadGroup, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public Task PutEnrollmentGroupAsync(EnrollmentGroup group, string? ifMatch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(group);
        return InTransactionAsync(async (connection, transaction) =>
        {
            await CheckEtagAsync(connection, transaction, "SELECT etag FROM enrollment_groups WHERE id = @id", ifMatch,
                $"enrollment group '{group.EnrollmentGroupId}'", cancellationToken, ("id", group.EnrollmentGroupId)).ConfigureAwait(false);
            var other = await Scalar(connection, "SELECT id FROM enrollment_groups WHERE signing_thumbprint = @thumbprint AND id <> @id",
                cancellationToken, transaction, ("thumbprint", group.SigningThumbprint), ("id", group.EnrollmentGroupId)).ConfigureAwait(false);
            if (other is string otherId)
            {
                throw new StoreConflictException(
                    $"enrollment group '{otherId}' is already bound to signing certificate {group.SigningThumbprint}; one group per certificate");
            }
            return await Execute(connection,
                """
                INSERT INTO enrollment_groups (id, signing_certificate, signing_thumbprint, ca_reference, status, initial_twin, allocation, etag, created, updated, issuance)
                VALUES (@id, @certificate, @thumbprint, @ca, @status, @twin, @allocation, @etag, @created, @updated, @issuance)
                ON CONFLICT (id) DO UPDATE SET signing_certificate = excluded.signing_certificate,
                    signing_thumbprint = excluded.signing_thumbprint, ca_reference = excluded.ca_reference, status = excluded.status,
                    initial_twin = excluded.initial_twin, allocation = excluded.allocation, etag = excluded.etag, updated = excluded.updated,
                    issuance = excluded.issuance
                """, cancellationToken, transaction, ("issuance", group.Issuance?.ToJson()),
                ("id", group.EnrollmentGroupId), ("certificate", group.SigningCertificate), ("thumbprint", group.SigningThumbprint),
                ("ca", group.CaReference), ("status", group.Status.ToString()), ("twin", group.InitialTwinJson),
                ("allocation", StorageJson.Serialize(group.Allocation)), ("etag", group.Etag),
                ("created", Time(group.CreatedUtc)), ("updated", Time(group.UpdatedUtc))).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> DeleteEnrollmentGroupAsync(string enrollmentGroupId, string? ifMatch, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            await CheckEtagAsync(connection, transaction, "SELECT etag FROM enrollment_groups WHERE id = @id", ifMatch,
                $"enrollment group '{enrollmentGroupId}'", cancellationToken, ("id", enrollmentGroupId)).ConfigureAwait(false);
            return await Execute(connection, "DELETE FROM enrollment_groups WHERE id = @id", cancellationToken, transaction,
                ("id", enrollmentGroupId)).ConfigureAwait(false) > 0;
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<IndividualEnrollment?> GetIndividualEnrollmentAsync(string registrationId, CancellationToken cancellationToken = default) =>
        (await QueryAsync($"SELECT {IndividualColumns} FROM individual_enrollments WHERE registration_id = @id", ReadIndividual,
            cancellationToken, ("id", registrationId)).ConfigureAwait(false)).SingleOrDefault();

    /// <inheritdoc />
    public async Task<IReadOnlyList<IndividualEnrollment>> ListIndividualEnrollmentsAsync(CancellationToken cancellationToken = default) =>
        await QueryAsync($"SELECT {IndividualColumns} FROM individual_enrollments ORDER BY registration_id", ReadIndividual, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public Task PutIndividualEnrollmentAsync(IndividualEnrollment enrollment, string? ifMatch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(enrollment);
        return InTransactionAsync(async (connection, transaction) =>
        {
            await CheckEtagAsync(connection, transaction, "SELECT etag FROM individual_enrollments WHERE registration_id = @id", ifMatch,
                $"individual enrollment '{enrollment.RegistrationId}'", cancellationToken, ("id", enrollment.RegistrationId)).ConfigureAwait(false);
            return await Execute(connection,
                """
                INSERT INTO individual_enrollments (registration_id, client_certificate, thumbprint, device_id, status, initial_twin, allocation, etag, created, updated, endorsement_key, issuance)
                VALUES (@id, @certificate, @thumbprint, @device, @status, @twin, @allocation, @etag, @created, @updated, @ek, @issuance)
                ON CONFLICT (registration_id) DO UPDATE SET client_certificate = excluded.client_certificate, endorsement_key = excluded.endorsement_key,
                    thumbprint = excluded.thumbprint, device_id = excluded.device_id, status = excluded.status,
                    initial_twin = excluded.initial_twin, allocation = excluded.allocation, etag = excluded.etag, updated = excluded.updated,
                    issuance = excluded.issuance
                """, cancellationToken, transaction, ("issuance", enrollment.Issuance?.ToJson()),
                ("id", enrollment.RegistrationId), ("certificate", enrollment.ClientCertificate), ("thumbprint", enrollment.Thumbprint),
                ("device", enrollment.DeviceId), ("status", enrollment.Status.ToString()), ("twin", enrollment.InitialTwinJson),
                ("allocation", StorageJson.Serialize(enrollment.Allocation)), ("etag", enrollment.Etag),
                ("created", Time(enrollment.CreatedUtc)), ("updated", Time(enrollment.UpdatedUtc)), ("ek", enrollment.EndorsementKey)).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> DeleteIndividualEnrollmentAsync(string registrationId, string? ifMatch, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            await CheckEtagAsync(connection, transaction, "SELECT etag FROM individual_enrollments WHERE registration_id = @id", ifMatch,
                $"individual enrollment '{registrationId}'", cancellationToken, ("id", registrationId)).ConfigureAwait(false);
            return await Execute(connection, "DELETE FROM individual_enrollments WHERE registration_id = @id", cancellationToken, transaction,
                ("id", registrationId)).ConfigureAwait(false) > 0;
        }, cancellationToken);

    private static EnrollmentGroup ReadGroup(NpgsqlDataReader r) => new(
        r.GetString(0), (byte[])r[1], NullableString(r, 2), Enum.Parse<ProvisioningStatus>(r.GetString(3)), NullableString(r, 4),
        StorageJson.DeserializeAllocation(r.GetString(5)), r.GetString(6), Time(r, 7), Time(r, 8),
        Issuance.CertificateIssuancePolicy.FromJson(NullableString(r, 9)));

    private static IndividualEnrollment ReadIndividual(NpgsqlDataReader r) => new(
        r.GetString(0), (byte[])r[1], NullableString(r, 2), Enum.Parse<ProvisioningStatus>(r.GetString(3)), NullableString(r, 4),
        StorageJson.DeserializeAllocation(r.GetString(5)), r.GetString(6), Time(r, 7), Time(r, 8),
        Issuance.CertificateIssuancePolicy.FromJson(NullableString(r, 10)))
    {
        EndorsementKey = r.IsDBNull(9) ? null : (byte[])r[9],
    };
}
