using Npgsql;
using ProvisioningEndpoint.Model;

namespace ProvisioningEndpoint.Storage;

// TPM attestation: devices' registration keys and hub device keys.
public sealed partial class PostgresProvisioningStore
{
    /// <inheritdoc />
    public async Task<TpmRegistration?> GetTpmRegistrationAsync(string registrationId, CancellationToken cancellationToken = default) =>
        (await QueryAsync("SELECT registration_id, endorsement_key, registration_key, hub_authentication_key, updated FROM tpm_registrations WHERE registration_id = @id",
            ReadTpmRegistration, cancellationToken, ("id", registrationId)).ConfigureAwait(false)).SingleOrDefault();

    /// <inheritdoc />
    public Task PutTpmRegistrationAsync(TpmRegistration registration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        return InTransactionAsync((connection, transaction) => Execute(connection,
            """
            INSERT INTO tpm_registrations (registration_id, endorsement_key, registration_key, hub_authentication_key, updated)
            VALUES (@id, @ek, @key, @hub, @updated)
            ON CONFLICT (registration_id) DO UPDATE SET endorsement_key = excluded.endorsement_key, registration_key = excluded.registration_key,
                hub_authentication_key = excluded.hub_authentication_key, updated = excluded.updated
            """, cancellationToken, transaction,
            ("id", registration.RegistrationId), ("ek", registration.EndorsementKey), ("key", registration.RegistrationKey),
            ("hub", registration.HubAuthenticationKey), ("updated", Time(registration.UpdatedUtc))), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<byte[]?> GetHubDeviceKeyAsync(string hub, string deviceId, CancellationToken cancellationToken = default) =>
        (await QueryAsync("SELECT symmetric_key FROM hub_device_keys WHERE hub = @hub AND device_id = @id", r => (byte[])r[0],
            cancellationToken, ("hub", hub), ("id", deviceId)).ConfigureAwait(false)).SingleOrDefault();

    /// <inheritdoc />
    public Task PutHubDeviceKeyAsync(string hub, string deviceId, byte[] symmetricKey, CancellationToken cancellationToken = default) =>
        InTransactionAsync((connection, transaction) => Execute(connection,
            """
            INSERT INTO hub_device_keys (hub, device_id, symmetric_key) VALUES (@hub, @id, @key)
            ON CONFLICT (hub, device_id) DO UPDATE SET symmetric_key = excluded.symmetric_key
            """, cancellationToken, transaction, ("hub", hub), ("id", deviceId), ("key", symmetricKey)), cancellationToken);

    private static TpmRegistration ReadTpmRegistration(NpgsqlDataReader r) =>
        new(r.GetString(0), (byte[])r[1], (byte[])r[2], NullableString(r, 3), Time(r, 4));
}
