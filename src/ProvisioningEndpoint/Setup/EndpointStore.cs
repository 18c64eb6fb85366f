using Npgsql;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Setup;

/// <summary>The store <c>serve</c> works on: the data directory's SQLite file, or the configured external PostgreSQL.</summary>
public static class EndpointStore
{
    /// <summary>Validates an Npgsql connection string for <c>--store</c> and returns it.</summary>
    /// <exception cref="FormatException">It is not one, or it carries a password (a command line is readable by every user).</exception>
    public static string CheckConnectionString(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"--store is not an Npgsql connection string (\"Host=...;Port=...;Database=...;Username=...\"): {e.Message}", e);
        }
        if (!string.IsNullOrEmpty(builder.Password))
            throw new FormatException("--store must not carry the password (a command line is readable by every user): put it in a file named by --store-password-file, or in PGPASSWORD");
        if (string.IsNullOrEmpty(builder.Host) || string.IsNullOrEmpty(builder.Database))
            throw new FormatException("--store needs at least Host=... and Database=...");
        return connectionString;
    }

    /// <summary>The credential systemd passed as <c>store-password</c> (<c>LoadCredential=store-password:FILE</c>), or null.</summary>
    private static string? SystemdCredential() =>
        Environment.GetEnvironmentVariable("CREDENTIALS_DIRECTORY") is { Length: > 0 } directory && File.Exists(Path.Combine(directory, "store-password"))
            ? Path.Combine(directory, "store-password")
            : null;

    /// <summary>Opens the configured store, applying pending migrations.</summary>
    /// <exception cref="EndpointStoreException">The external store cannot be reached, refused the login, or its password file cannot be read.</exception>
    /// <exception cref="InvalidOperationException">The store was migrated by a newer version.</exception>
    public static async Task<IProvisioningStore> OpenAsync(EndpointDataDirectory data, EndpointConfiguration configuration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration.Store is null)
            return await SqliteProvisioningStore.OpenAsync(data.DatabaseFile, cancellationToken).ConfigureAwait(false);
        string? password = null;
        if ((configuration.StorePasswordFile ?? SystemdCredential()) is { } file)
        {
            try
            {
                password = (await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false)).TrimEnd('\r', '\n');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new EndpointStoreException($"cannot read the store's password file '{file}': {e.Message}", e);
            }
        }
        try
        {
            return await PostgresProvisioningStore.OpenAsync(configuration.Store, password, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is NpgsqlException or ArgumentException)
        {
            throw new EndpointStoreException(
                $"cannot open the store '{configuration.Store}': {e.Message}; check --store, the password (--store-password-file or PGPASSWORD) and that PostgreSQL accepts this user", e);
        }
    }
}

/// <summary>The configured store cannot be opened; the message says what to check.</summary>
public sealed class EndpointStoreException(string message, Exception inner) : Exception(message, inner);
