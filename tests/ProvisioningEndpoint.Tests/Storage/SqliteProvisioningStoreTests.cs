using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Tests.Storage;

/// <summary>The store contract on SQLite: a fresh file per test; "instances" are two stores on the file (WAL).</summary>
public sealed class SqliteProvisioningStoreTests : ProvisioningStoreContract
{
    private string _directory = "";

    protected override Task CreateDatabaseAsync()
    {
        _directory = Directory.CreateTempSubdirectory("store-contract.").FullName;
        return Task.CompletedTask;
    }

    protected override async Task<IProvisioningStore> OpenAsync() =>
        await SqliteProvisioningStore.OpenAsync(Path.Combine(_directory, "endpoint.db"));

    protected override Task DeleteDatabaseAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}
