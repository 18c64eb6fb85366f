namespace ProvisioningEndpoint.Storage;

/// <summary>
/// The PostgreSQL schema as an ordered list of migrations; <c>schema_version</c> records how many
/// have been applied. The first instance to start applies pending ones under an advisory lock
/// (<see cref="MigrationLock"/>), the others wait for it and find nothing to do. Append-only:
/// never edit one that has shipped. Version 1 is the SQLite schema's migrations 1 to 3 in one,
/// plus the shared settings every instance adopts (<see cref="ISharedSettings"/>).
/// </summary>
internal static class PostgresSchema
{
    /// <summary>The advisory lock key migrations run under ("DAPE" in ASCII).</summary>
    public const long MigrationLock = 0x44415045;

    public static readonly string[] Migrations =
    [
        // 1: the initial schema.
        """
        CREATE TABLE ca_certificates (
            name TEXT PRIMARY KEY, certificate BYTEA NOT NULL, thumbprint TEXT NOT NULL,
            is_verified BOOLEAN NOT NULL, verification_code TEXT, code_expires TIMESTAMPTZ,
            etag TEXT NOT NULL, created TIMESTAMPTZ NOT NULL, updated TIMESTAMPTZ NOT NULL);
        CREATE TABLE enrollment_groups (
            id TEXT PRIMARY KEY, signing_certificate BYTEA NOT NULL, signing_thumbprint TEXT NOT NULL UNIQUE,
            ca_reference TEXT, status TEXT NOT NULL, initial_twin TEXT, allocation TEXT NOT NULL,
            etag TEXT NOT NULL, created TIMESTAMPTZ NOT NULL, updated TIMESTAMPTZ NOT NULL, issuance TEXT);
        CREATE TABLE individual_enrollments (
            registration_id TEXT PRIMARY KEY, client_certificate BYTEA NOT NULL, thumbprint TEXT NOT NULL,
            device_id TEXT, status TEXT NOT NULL, initial_twin TEXT, allocation TEXT NOT NULL,
            etag TEXT NOT NULL, created TIMESTAMPTZ NOT NULL, updated TIMESTAMPTZ NOT NULL, endorsement_key BYTEA, issuance TEXT);
        CREATE TABLE registrations (
            registration_id TEXT PRIMARY KEY, operation_id TEXT NOT NULL UNIQUE, status TEXT NOT NULL, substatus TEXT,
            assigned_hub TEXT, device_id TEXT, error_code INTEGER, error_message TEXT,
            enrollment_kind TEXT NOT NULL, enrollment_id TEXT, payload TEXT, certificate_thumbprint TEXT,
            etag TEXT NOT NULL, created TIMESTAMPTZ NOT NULL, updated TIMESTAMPTZ NOT NULL, issued_chain TEXT);
        CREATE INDEX registrations_by_enrollment ON registrations (enrollment_kind, enrollment_id);
        CREATE TABLE hub_devices (
            hub TEXT NOT NULL, device_id TEXT NOT NULL, status TEXT NOT NULL, primary_thumbprint TEXT NOT NULL,
            twin TEXT NOT NULL, etag TEXT NOT NULL, created TIMESTAMPTZ NOT NULL, updated TIMESTAMPTZ NOT NULL,
            secondary_thumbprint TEXT, PRIMARY KEY (hub, device_id));
        CREATE TABLE telemetry (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, hub TEXT NOT NULL, device_id TEXT NOT NULL,
            received TIMESTAMPTZ NOT NULL, properties TEXT NOT NULL, body BYTEA NOT NULL);
        CREATE INDEX telemetry_by_device ON telemetry (hub, device_id, id);
        CREATE TABLE tpm_registrations (
            registration_id TEXT PRIMARY KEY, endorsement_key BYTEA NOT NULL, registration_key BYTEA NOT NULL,
            hub_authentication_key TEXT, updated TIMESTAMPTZ NOT NULL);
        CREATE TABLE hub_device_keys (
            hub TEXT NOT NULL, device_id TEXT NOT NULL, symmetric_key BYTEA NOT NULL, PRIMARY KEY (hub, device_id));
        CREATE TABLE shared_settings (name TEXT PRIMARY KEY, value TEXT NOT NULL, created TIMESTAMPTZ NOT NULL);
        """,
        // 2 (console): operator accounts (Argon2id hashes) and their console sessions (SHA-256 of the
        // token), as SQLite's migration 4: a session made through one instance is accepted by all.
        """
        CREATE TABLE operators (
            name TEXT PRIMARY KEY, password_hash TEXT NOT NULL, created TIMESTAMPTZ NOT NULL, updated TIMESTAMPTZ NOT NULL);
        CREATE TABLE operator_sessions (
            token_hash BYTEA PRIMARY KEY, operator TEXT NOT NULL REFERENCES operators (name) ON DELETE CASCADE,
            created TIMESTAMPTZ NOT NULL, expires TIMESTAMPTZ NOT NULL);
        CREATE INDEX operator_sessions_by_expiry ON operator_sessions (expires);
        """,
    ];
}
