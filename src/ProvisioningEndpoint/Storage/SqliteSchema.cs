namespace ProvisioningEndpoint.Storage;

/// <summary>
/// The SQLite schema as an ordered list of migrations; <c>PRAGMA user_version</c> records how many
/// have been applied. Migrations are append-only: never edit one that has shipped.
/// </summary>
internal static class SqliteSchema
{
    public static readonly string[] Migrations =
    [
        // 1: the initial schema.
        """
        CREATE TABLE ca_certificates (
            name TEXT PRIMARY KEY, certificate BLOB NOT NULL, thumbprint TEXT NOT NULL,
            is_verified INTEGER NOT NULL, verification_code TEXT, code_expires TEXT,
            etag TEXT NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL);
        CREATE TABLE enrollment_groups (
            id TEXT PRIMARY KEY, signing_certificate BLOB NOT NULL, signing_thumbprint TEXT NOT NULL UNIQUE,
            ca_reference TEXT, status TEXT NOT NULL, initial_twin TEXT, allocation TEXT NOT NULL,
            etag TEXT NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL);
        CREATE TABLE individual_enrollments (
            registration_id TEXT PRIMARY KEY, client_certificate BLOB NOT NULL, thumbprint TEXT NOT NULL,
            device_id TEXT, status TEXT NOT NULL, initial_twin TEXT, allocation TEXT NOT NULL,
            etag TEXT NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL);
        CREATE TABLE registrations (
            registration_id TEXT PRIMARY KEY, operation_id TEXT NOT NULL UNIQUE, status TEXT NOT NULL, substatus TEXT,
            assigned_hub TEXT, device_id TEXT, error_code INTEGER, error_message TEXT,
            enrollment_kind TEXT NOT NULL, enrollment_id TEXT, payload TEXT, certificate_thumbprint TEXT,
            etag TEXT NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL);
        CREATE INDEX registrations_by_enrollment ON registrations (enrollment_kind, enrollment_id);
        CREATE TABLE hub_devices (
            hub TEXT NOT NULL, device_id TEXT NOT NULL, status TEXT NOT NULL, primary_thumbprint TEXT NOT NULL,
            twin TEXT NOT NULL, etag TEXT NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL,
            PRIMARY KEY (hub, device_id));
        CREATE TABLE telemetry (
            id INTEGER PRIMARY KEY AUTOINCREMENT, hub TEXT NOT NULL, device_id TEXT NOT NULL,
            received TEXT NOT NULL, properties TEXT NOT NULL, body BLOB NOT NULL);
        CREATE INDEX telemetry_by_device ON telemetry (hub, device_id, id);
        """,
        // 2: TPM attestation: individual enrollments by endorsement key (client_certificate empty),
        // each TPM device's registration key and hub key blob, hub devices' symmetric keys.
        """
        ALTER TABLE individual_enrollments ADD COLUMN endorsement_key BLOB;
        CREATE TABLE tpm_registrations (
            registration_id TEXT PRIMARY KEY, endorsement_key BLOB NOT NULL, registration_key BLOB NOT NULL,
            hub_authentication_key TEXT, updated TEXT NOT NULL);
        CREATE TABLE hub_device_keys (
            hub TEXT NOT NULL, device_id TEXT NOT NULL, symmetric_key BLOB NOT NULL, PRIMARY KEY (hub, device_id));
        """,
        // 3 (cert-renewal): issuance policies, issued chains, the retiring thumbprint of a renewed device.
        """
        ALTER TABLE enrollment_groups ADD COLUMN issuance TEXT;
        ALTER TABLE individual_enrollments ADD COLUMN issuance TEXT;
        ALTER TABLE registrations ADD COLUMN issued_chain TEXT;
        ALTER TABLE hub_devices ADD COLUMN secondary_thumbprint TEXT;
        """,
        // 4 (console): operator accounts (Argon2id hashes) and their console sessions (SHA-256 of the token).
        """
        CREATE TABLE operators (
            name TEXT PRIMARY KEY, password_hash TEXT NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL);
        CREATE TABLE operator_sessions (
            token_hash BLOB PRIMARY KEY, operator TEXT NOT NULL REFERENCES operators (name) ON DELETE CASCADE,
            created TEXT NOT NULL, expires TEXT NOT NULL);
        CREATE INDEX operator_sessions_by_expiry ON operator_sessions (expires);
        """,
    ];
}
