using ProvisioningEndpoint.Cli;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.OperatorConsole;
using ProvisioningEndpoint.OperatorConsole.Accounts;
using ProvisioningEndpoint.Setup;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Tests.Console;

/// <summary>Operator accounts: Argon2id hashes, <c>operator add</c>, sessions ended by a new password, the sign-in page's return rule.</summary>
public sealed class OperatorAccountTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("operator-test.").FullName;

    [Fact]
    public async Task A_hash_is_argon2id_with_64_MiB_and_3_passes_and_verifies_only_the_right_password()
    {
        var hash = await OperatorPasswords.HashAsync("a long enough passphrase", CancellationToken.None);
        Assert.StartsWith("$argon2id$v=19$m=65536,t=3,p=1$", hash, StringComparison.Ordinal);
        Assert.DoesNotContain("passphrase", hash, StringComparison.Ordinal);
        Assert.True(await OperatorPasswords.VerifyAsync("a long enough passphrase", hash, CancellationToken.None));
        Assert.False(await OperatorPasswords.VerifyAsync("a long enough passphrasE", hash, CancellationToken.None));
        Assert.NotEqual(hash, await OperatorPasswords.HashAsync("a long enough passphrase", CancellationToken.None)); // fresh salt
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("$argon2i$v=19$m=65536,t=3,p=1$c2FsdHNhbHQ$dGFnZ2VkdGFnZ2VkdGFnZ2Vk", "another Argon2 variant")]
    [InlineData("$argon2id$v=19$m=99999999,t=3,p=1$c2FsdHNhbHQ$dGFnZ2VkdGFnZ2VkdGFnZ2Vk", "a memory cost that would exhaust the host")]
    [InlineData("$argon2id$v=19$m=65536,t=3,p=1$!!!$dGFnZ2VkdGFnZ2VkdGFnZ2Vk", "a salt that is not base64")]
    public async Task A_malformed_hash_verifies_nothing(string encoded, string description)
    {
        Assert.False(await OperatorPasswords.VerifyAsync("a long enough passphrase", encoded, CancellationToken.None), description);
    }

    [Fact]
    public async Task Operator_add_stores_a_hash_and_a_new_password_ends_the_sessions()
    {
        var data = Initialise();
        var file = Path.Combine(_directory, "password");
        await File.WriteAllTextAsync(file, "first passphrase here\n");
        Assert.Equal(ExitCodes.Success, await EndpointCommandLine.RunAsync(["operator", "add", "--data-dir", data.Path, "--name", "alice", "--password-file", file]));
        var store = await SqliteProvisioningStore.OpenAsync(data.DatabaseFile);
        var account = await store.GetOperatorAsync("alice");
        Assert.NotNull(account);
        Assert.True(await OperatorPasswords.VerifyAsync("first passphrase here", account.PasswordHash, CancellationToken.None)); // the newline is not part of it

        var token = new byte[32];
        await store.AddSessionAsync(new OperatorSession(token, "alice", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddHours(1)));
        Assert.NotNull(await store.GetSessionAsync(token));
        await File.WriteAllTextAsync(file, "second passphrase here");
        Assert.Equal(ExitCodes.Success, await EndpointCommandLine.RunAsync(["operator", "add", "--data-dir", data.Path, "--name", "alice", "--password-file", file]));
        Assert.Null(await store.GetSessionAsync(token));
        Assert.Equal(account.CreatedUtc, (await store.GetOperatorAsync("alice"))!.CreatedUtc);
    }

    [Theory]
    [InlineData("bob", "short", ExitCodes.Failed, "a password under the minimum length")]
    [InlineData("bob", null, ExitCodes.Failed, "a password file that does not exist")]
    [InlineData("bob smith", "a long enough passphrase", ExitCodes.UsageError, "a name with a space")]
    public async Task Operator_add_refuses_bad_input_and_stores_nothing(string name, string? password, int exitCode, string description)
    {
        var data = Initialise();
        var file = Path.Combine(_directory, "password");
        if (password is not null)
            await File.WriteAllTextAsync(file, password);
        Assert.True(exitCode == await EndpointCommandLine.RunAsync(["operator", "add", "--data-dir", data.Path, "--name", name, "--password-file", file]), description);
        var store = await SqliteProvisioningStore.OpenAsync(data.DatabaseFile);
        Assert.Null(await store.GetOperatorAsync(name));
    }

    [Theory]
    [InlineData("/console/groups/line-a", "/console/groups/line-a")]
    [InlineData("/console?x=1", "/console?x=1")]
    [InlineData("https://evil.example/console", "/console")]
    [InlineData("//evil.example/console", "/console")]
    [InlineData("/consolex", "/console")]
    [InlineData("/console\\..\\x", "/console")]
    [InlineData(null, "/console")]
    public void Sign_in_returns_only_to_a_console_path(string? returnUrl, string expected) => Assert.Equal(expected, ConsolePaths.LocalReturn(returnUrl));

    private EndpointDataDirectory Initialise()
    {
        var data = new EndpointDataDirectory(Path.Combine(_directory, "data"));
        if (!data.IsInitialized)
            data.Initialize(new EndpointConfiguration());
        return data;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
