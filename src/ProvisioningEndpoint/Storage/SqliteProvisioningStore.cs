using System.Globalization;
using Microsoft.Data.Sqlite;

namespace ProvisioningEndpoint.Storage;

/// <summary>
/// The embedded store: one SQLite file in WAL mode with <c>synchronous=FULL</c>, so that a
/// committed enrollment survives a power cut. Schema migrations run at open. Thread-safe: each
/// operation uses its own pooled connection; writes that check an etag run in an IMMEDIATE
/// transaction so that the check and the write are atomic across processes.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The writer gate is a SemaphoreSlim whose wait handle is never created; it holds nothing to dispose.")]
public sealed partial class SqliteProvisioningStore : IProvisioningStore
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writer = new(1, 1);

    private SqliteProvisioningStore(string connectionString) => _connectionString = connectionString;

    /// <summary>The database file.</summary>
    public required string Path { get; init; }

    /// <summary>Opens (creating if needed) the store and applies pending migrations.</summary>
    /// <exception cref="InvalidOperationException">The file was written by a newer version (more migrations than this one knows).</exception>
    public static async Task<SqliteProvisioningStore> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        var store = new SqliteProvisioningStore(connectionString) { Path = path };
        await using var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await Execute(connection, "PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
        await MigrateAsync(connection, cancellationToken).ConfigureAwait(false);
        return store;
    }

    private static async Task MigrateAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var version = Convert.ToInt32(await Scalar(connection, "PRAGMA user_version;", cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        if (version > SqliteSchema.Migrations.Length)
        {
            throw new InvalidOperationException(
                $"the store is at schema version {version}, newer than this endpoint knows ({SqliteSchema.Migrations.Length}); run a newer provisioning-endpoint");
        }
        for (var i = version; i < SqliteSchema.Migrations.Length; i++)
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await Execute(connection, SqliteSchema.Migrations[i], cancellationToken, transaction).ConfigureAwait(false);
            await Execute(connection, $"PRAGMA user_version = {i + 1};", cancellationToken, transaction).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        // Per connection: durability of every commit (WAL + FULL fsyncs the log at each commit).
        await Execute(connection, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;", cancellationToken).ConfigureAwait(false);
        return connection;
    }

    /// <summary>
    /// Runs <paramref name="body"/> in an IMMEDIATE transaction and commits it. Writers of this
    /// process take turns here: SQLite has one writer at a time, and a writer that finds the
    /// database locked is retried by Microsoft.Data.Sqlite after sleeping 150 ms, which under
    /// concurrent registrations turned into a long latency tail. Other processes (sharing the
    /// file through WAL) still meet the busy handling.
    /// </summary>
    private async Task<T> InTransactionAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> body, CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = connection.BeginTransaction(deferred: false);
            var result = await body(connection, transaction).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return result;
        }
        finally
        {
            _writer.Release();
        }
    }

    private async Task<List<T>> QueryAsync<T>(string sql, Func<SqliteDataReader, T> map, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, sql, null, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            rows.Add(map(reader));
        return rows;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, SqliteTransaction? transaction, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
#pragma warning disable CA2100 // SQL text is constant; values are always bound parameters.
        command.CommandText = sql;
#pragma warning restore CA2100
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    private static async Task<int> Execute(SqliteConnection connection, string sql, CancellationToken cancellationToken,
        SqliteTransaction? transaction = null, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, sql, transaction, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<object?> Scalar(SqliteConnection connection, string sql, CancellationToken cancellationToken,
        SqliteTransaction? transaction = null, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, sql, transaction, parameters);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Checks <paramref name="ifMatch"/> against the row's current etag (null when no row).</summary>
    private static async Task CheckEtagAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, string? ifMatch,
        string what, CancellationToken cancellationToken, params (string Name, object? Value)[] key)
    {
        if (string.IsNullOrEmpty(ifMatch) || ifMatch == "*")
            return;
        var current = await Scalar(connection, sql, cancellationToken, transaction, key).ConfigureAwait(false) as string;
        if (current is null)
            throw new StoreConflictException($"{what} does not exist, so If-Match {ifMatch} cannot match");
        if (!Model.Etags.Matches(ifMatch, current))
            throw new StoreConflictException($"{what} changed: its etag is {current}, not {ifMatch}; read it again and retry");
    }

    private static string Time(DateTimeOffset value) => value.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset Time(SqliteDataReader reader, int ordinal) =>
        DateTimeOffset.Parse(reader.GetString(ordinal), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    private static string? NullableString(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
