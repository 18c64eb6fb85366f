using System.Data;
using Npgsql;

namespace ProvisioningEndpoint.Storage;

/// <summary>
/// The shared store for several endpoint instances: one PostgreSQL database (Npgsql). Schema
/// migrations run at open, by the first instance, under an advisory lock. Thread- and
/// process-safe: each operation uses its own pooled connection; writes that check an etag lock
/// the row (<c>SELECT ... FOR UPDATE</c>) in the same transaction, so a check and its write are
/// atomic across instances (a verification code is spent once); uniqueness (one group per signing
/// certificate, one record per registration id, one hub device per id) is the database's
/// constraints, so concurrent registrations of one device end in one record and one hub device.
/// </summary>
public sealed partial class PostgresProvisioningStore : IProvisioningStore, ISharedSettings, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;

    private PostgresProvisioningStore(NpgsqlDataSource dataSource) => _dataSource = dataSource;

    /// <summary>Where it connects, without the password (for logs and messages).</summary>
    public required string Description { get; init; }

    /// <summary>Connects and applies pending migrations.</summary>
    /// <param name="connectionString">An Npgsql connection string; the password comes from <c>PGPASSWORD</c> or <paramref name="password"/>.</param>
    /// <param name="password">The password (read from a file by the caller), or null.</param>
    /// <param name="cancellationToken">Cancels the open.</param>
    /// <exception cref="ArgumentException">The connection string is not one.</exception>
    /// <exception cref="NpgsqlException">The database cannot be reached or refused the login.</exception>
    /// <exception cref="InvalidOperationException">The database was migrated by a newer version.</exception>
    public static async Task<PostgresProvisioningStore> OpenAsync(string connectionString, string? password = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var description = $"postgresql://{builder.Username}@{builder.Host}:{builder.Port}/{builder.Database}";
        if (password is not null)
            builder.Password = password;
        var dataSource = NpgsqlDataSource.Create(builder);
        var store = new PostgresProvisioningStore(dataSource) { Description = description };
        try
        {
            await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        // Session-level: held until unlocked or the connection ends (a crashed migrator frees it).
        await Execute(connection, "SELECT pg_advisory_lock(@key)", cancellationToken, null, ("key", PostgresSchema.MigrationLock)).ConfigureAwait(false);
        try
        {
            await Execute(connection, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)", cancellationToken).ConfigureAwait(false);
            var version = Convert.ToInt32(await Scalar(connection, "SELECT coalesce(max(version), 0) FROM schema_version", cancellationToken).ConfigureAwait(false),
                System.Globalization.CultureInfo.InvariantCulture);
            if (version > PostgresSchema.Migrations.Length)
            {
                throw new InvalidOperationException(
                    $"the store {Description} is at schema version {version}, newer than this endpoint knows ({PostgresSchema.Migrations.Length}); run a newer provisioning-endpoint");
            }
            for (var i = version; i < PostgresSchema.Migrations.Length; i++)
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await Execute(connection, PostgresSchema.Migrations[i], cancellationToken, transaction).ConfigureAwait(false);
                await Execute(connection, "DELETE FROM schema_version; INSERT INTO schema_version (version) VALUES (@version)", cancellationToken, transaction,
                    ("version", i + 1)).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await Execute(connection, "SELECT pg_advisory_unlock(@key)", CancellationToken.None, null, ("key", PostgresSchema.MigrationLock)).ConfigureAwait(false);
        }
    }

    /// <summary>The schema version the database is at.</summary>
    public async Task<int> SchemaVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return Convert.ToInt32(await Scalar(connection, "SELECT max(version) FROM schema_version", cancellationToken).ConfigureAwait(false),
            System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    /// <summary>
    /// Runs <paramref name="body"/> in a READ COMMITTED transaction and commits it. A unique
    /// violation (another instance won a race) surfaces as <see cref="StoreConflictException"/>
    /// unless <paramref name="body"/> handles it.
    /// </summary>
    private async Task<T> InTransactionAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> body, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);
        T result;
        try
        {
            result = await body(connection, transaction).ConfigureAwait(false);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new StoreConflictException($"a concurrent write made this one conflict ({e.ConstraintName}); read again and retry");
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    private async Task<List<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, sql, null, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            rows.Add(map(reader));
        return rows;
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction, params (string Name, object? Value)[] parameters)
    {
#pragma warning disable CA2100 // SQL text is constant; values are always bound parameters.
        var command = new NpgsqlCommand(sql, connection, transaction);
#pragma warning restore CA2100
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    private static async Task<int> Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken,
        NpgsqlTransaction? transaction = null, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, sql, transaction, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<object?> Scalar(NpgsqlConnection connection, string sql, CancellationToken cancellationToken,
        NpgsqlTransaction? transaction = null, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, sql, transaction, parameters);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Locks the row and checks <paramref name="ifMatch"/> against its current etag (null when no row).</summary>
    private static async Task CheckEtagAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, string? ifMatch,
        string what, CancellationToken cancellationToken, params (string Name, object? Value)[] key)
    {
        if (string.IsNullOrEmpty(ifMatch) || ifMatch == "*")
            return;
        var current = await Scalar(connection, sql + " FOR UPDATE", cancellationToken, transaction, key).ConfigureAwait(false) as string;
        if (current is null)
            throw new StoreConflictException($"{what} does not exist, so If-Match {ifMatch} cannot match");
        if (!Model.Etags.Matches(ifMatch, current))
            throw new StoreConflictException($"{what} changed: its etag is {current}, not {ifMatch}; read it again and retry");
    }

    private static DateTimeOffset Time(DateTimeOffset value) => value.ToUniversalTime();

    private static DateTimeOffset Time(NpgsqlDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
