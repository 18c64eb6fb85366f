using DeviceAgent.TestPeers;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ProvisioningEndpoint.OperatorConsole.Keys;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Tests.Storage;

/// <summary>
/// The store contract on a real PostgreSQL (one cluster per test run, a fresh database per test),
/// plus what only an external store does: migrations applied once when instances start at once,
/// and shared settings the first instance seeds.
/// </summary>
public sealed class PostgresProvisioningStoreTests : ProvisioningStoreContract
{
    private string _connectionString = "";

    protected override async Task CreateDatabaseAsync() =>
        _connectionString = await (await PostgresServer.Shared).CreateDatabaseAsync("contract");

    protected override async Task<IProvisioningStore> OpenAsync() => await PostgresProvisioningStore.OpenAsync(_connectionString);

    protected override Task DeleteDatabaseAsync() => Task.CompletedTask; // the cluster goes with the test run

    [Fact]
    public async Task Instances_starting_at_once_migrate_the_schema_once()
    {
        _connectionString = await (await PostgresServer.Shared).CreateDatabaseAsync("migrate");

        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostgresProvisioningStore.OpenAsync(_connectionString)));

        foreach (var store in stores)
        {
            Assert.Equal(PostgresSchema.Migrations.Length, await store.SchemaVersionAsync());
            await store.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_store_migrated_by_a_newer_version_is_refused_with_what_to_do()
    {
        await using (var connection = new NpgsqlConnection(_connectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("UPDATE schema_version SET version = 99", connection);
            await command.ExecuteNonQueryAsync();
        }

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresProvisioningStore.OpenAsync(_connectionString));
        Assert.Contains("schema version 99", e.Message, StringComparison.Ordinal);
        Assert.Contains("run a newer provisioning-endpoint", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_first_offer_of_a_shared_setting_wins_and_every_instance_adopts_it()
    {
        var offers = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => ((ISharedSettings)(i % 2 == 0 ? Store : Other)).AdoptAsync("idScope", $"0ne{i:D8}")));

        Assert.Single(offers.Distinct(StringComparer.Ordinal));
        Assert.Equal(offers[0], await ((ISharedSettings)Store).AdoptAsync("idScope", "0neLATER"));
        await ((ISharedSettings)Other).AdoptAsync("file:issuers/a", "x");
        Assert.Equal(["file:issuers/a"], (await ((ISharedSettings)Store).ListAsync("file:issuers/")).Select(p => p.Key));
    }

    [Fact]
    public async Task The_console_key_ring_is_shared_a_token_protected_on_one_instance_is_read_on_the_other()
    {
        static IDataProtector Protector(IProvisioningStore store)
        {
            var services = new ServiceCollection();
            services.AddDataProtection().SetApplicationName("provisioning-endpoint-console");
            services.Configure<KeyManagementOptions>(options => options.XmlRepository = new SharedKeyRepository((ISharedSettings)store));
            return services.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>().CreateProtector("test");
        }

        var protectedText = Protector(Store).Protect("antiforgery");

        Assert.Equal("antiforgery", Protector(Other).Unprotect(protectedText));
        Assert.NotEmpty(await ((ISharedSettings)Other).ListAsync("console-key:"));
    }
}
