using Npgsql;
using ProvisioningEndpoint.Model;

namespace ProvisioningEndpoint.Storage;

// CA certificates (the SQLite partial's statements in PostgreSQL's dialect).
public sealed partial class PostgresProvisioningStore
{
    private const string CertificateColumns = "name, certificate, is_verified, verification_code, code_expires, etag, created, updated";

    /// <inheritdoc />
    public async Task<CaCertificateEntry?> GetCertificateAsync(string name, CancellationToken cancellationToken = default) =>
        (await QueryAsync($"SELECT {CertificateColumns} FROM ca_certificates WHERE name = @name", ReadCertificate, cancellationToken,
            ("name", name)).ConfigureAwait(false)).SingleOrDefault();

    /// <inheritdoc />
    public async Task<IReadOnlyList<CaCertificateEntry>> ListCertificatesAsync(CancellationToken cancellationToken = default) =>
        await QueryAsync($"SELECT {CertificateColumns} FROM ca_certificates ORDER BY name", ReadCertificate, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public Task PutCertificateAsync(CaCertificateEntry entry, string? ifMatch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return InTransactionAsync(async (connection, transaction) =>
        {
            await CheckEtagAsync(connection, transaction, "SELECT etag FROM ca_certificates WHERE name = @name", ifMatch,
                $"certificate '{entry.Name}'", cancellationToken, ("name", entry.Name)).ConfigureAwait(false);
            return await Execute(connection,
                """
                INSERT INTO ca_certificates (name, certificate, thumbprint, is_verified, verification_code, code_expires, etag, created, updated)
                VALUES (@name, @certificate, @thumbprint, @verified, @code, @expires, @etag, @created, @updated)
                ON CONFLICT (name) DO UPDATE SET certificate = excluded.certificate, thumbprint = excluded.thumbprint,
                    is_verified = excluded.is_verified, verification_code = excluded.verification_code,
                    code_expires = excluded.code_expires, etag = excluded.etag, updated = excluded.updated
                """, cancellationToken, transaction,
                ("name", entry.Name), ("certificate", entry.Certificate), ("thumbprint", entry.Thumbprint),
                ("verified", entry.IsVerified), ("code", entry.VerificationCode),
                ("expires", entry.VerificationCodeExpiresUtc is { } e ? Time(e) : (object?)null), ("etag", entry.Etag),
                ("created", Time(entry.CreatedUtc)), ("updated", Time(entry.UpdatedUtc))).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> DeleteCertificateAsync(string name, string? ifMatch, CancellationToken cancellationToken = default) =>
        InTransactionAsync(async (connection, transaction) =>
        {
            await CheckEtagAsync(connection, transaction, "SELECT etag FROM ca_certificates WHERE name = @name", ifMatch,
                $"certificate '{name}'", cancellationToken, ("name", name)).ConfigureAwait(false);
            return await Execute(connection, "DELETE FROM ca_certificates WHERE name = @name", cancellationToken, transaction,
                ("name", name)).ConfigureAwait(false) > 0;
        }, cancellationToken);

    private static CaCertificateEntry ReadCertificate(NpgsqlDataReader r) => new(
        r.GetString(0), (byte[])r[1], r.GetBoolean(2), NullableString(r, 3),
        r.IsDBNull(4) ? null : Time(r, 4), r.GetString(5), Time(r, 6), Time(r, 7));
}
