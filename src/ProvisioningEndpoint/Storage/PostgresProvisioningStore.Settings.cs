namespace ProvisioningEndpoint.Storage;

// Shared settings: seeded by the first instance, adopted by the others.
public sealed partial class PostgresProvisioningStore
{
    /// <inheritdoc />
    public Task<string> AdoptAsync(string name, string proposed, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(proposed);
        return InTransactionAsync(async (connection, transaction) =>
        {
            // ON CONFLICT DO NOTHING waits for a concurrent seeder's commit, then the SELECT sees its value.
            await Execute(connection, "INSERT INTO shared_settings (name, value, created) VALUES (@name, @value, now()) ON CONFLICT (name) DO NOTHING",
                cancellationToken, transaction, ("name", name), ("value", proposed)).ConfigureAwait(false);
            return (string)(await Scalar(connection, "SELECT value FROM shared_settings WHERE name = @name", cancellationToken, transaction,
                ("name", name)).ConfigureAwait(false))!;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<KeyValuePair<string, string>>> ListAsync(string prefix, CancellationToken cancellationToken = default) =>
        await QueryAsync("SELECT name, value FROM shared_settings WHERE starts_with(name, @prefix) ORDER BY name",
            r => KeyValuePair.Create(r.GetString(0), r.GetString(1)), cancellationToken, ("prefix", prefix)).ConfigureAwait(false);
}
