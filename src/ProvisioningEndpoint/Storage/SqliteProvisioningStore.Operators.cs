using Microsoft.Data.Sqlite;
using ProvisioningEndpoint.Model;

namespace ProvisioningEndpoint.Storage;

// The operator console: accounts and sessions (IOperatorStore, migration 4).
public sealed partial class SqliteProvisioningStore : IOperatorStore
{
    /// <inheritdoc />
    public async Task<OperatorAccount?> GetOperatorAsync(string name, CancellationToken cancellationToken = default) =>
        (await QueryAsync("SELECT name, password_hash, created, updated FROM operators WHERE name = $name",
            r => new OperatorAccount(r.GetString(0), r.GetString(1), Time(r, 2), Time(r, 3)), cancellationToken, ("$name", name)).ConfigureAwait(false))
            .SingleOrDefault();

    /// <inheritdoc />
    public Task<bool> PutOperatorAsync(OperatorAccount account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        return InTransactionAsync(async (connection, transaction) =>
        {
            var existed = await Scalar(connection, "SELECT 1 FROM operators WHERE name = $name", cancellationToken, transaction, ("$name", account.Name)).ConfigureAwait(false) is not null;
            await Execute(connection,
                """
                INSERT INTO operators (name, password_hash, created, updated) VALUES ($name, $hash, $created, $updated)
                ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash, updated = excluded.updated
                """, cancellationToken, transaction,
                ("$name", account.Name), ("$hash", account.PasswordHash), ("$created", Time(account.CreatedUtc)), ("$updated", Time(account.UpdatedUtc))).ConfigureAwait(false);
            if (existed)
                await Execute(connection, "DELETE FROM operator_sessions WHERE operator = $name", cancellationToken, transaction, ("$name", account.Name)).ConfigureAwait(false);
            return !existed;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task AddSessionAsync(OperatorSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        return InTransactionAsync(async (connection, transaction) =>
        {
            await Execute(connection, "DELETE FROM operator_sessions WHERE expires <= $now", cancellationToken, transaction, ("$now", Time(session.CreatedUtc))).ConfigureAwait(false);
            return await Execute(connection, "INSERT INTO operator_sessions (token_hash, operator, created, expires) VALUES ($hash, $operator, $created, $expires)",
                cancellationToken, transaction, ("$hash", session.TokenHash), ("$operator", session.OperatorName),
                ("$created", Time(session.CreatedUtc)), ("$expires", Time(session.ExpiresUtc))).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<OperatorSession?> GetSessionAsync(byte[] tokenHash, CancellationToken cancellationToken = default) =>
        (await QueryAsync("SELECT token_hash, operator, created, expires FROM operator_sessions WHERE token_hash = $hash",
            ReadSession, cancellationToken, ("$hash", tokenHash)).ConfigureAwait(false)).SingleOrDefault();

    /// <inheritdoc />
    public Task DeleteSessionAsync(byte[] tokenHash, CancellationToken cancellationToken = default) =>
        InTransactionAsync((connection, transaction) => Execute(connection, "DELETE FROM operator_sessions WHERE token_hash = $hash",
            cancellationToken, transaction, ("$hash", tokenHash)), cancellationToken);

    private static OperatorSession ReadSession(SqliteDataReader r) => new((byte[])r[0], r.GetString(1), Time(r, 2), Time(r, 3));
}
