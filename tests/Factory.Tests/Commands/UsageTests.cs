using System.Text.Json;
using DeviceAgent.TestPeers;
using Factory.Tests.Support;

namespace Factory.Tests.Commands;

/// <summary>Every command explains itself, and a wrong command line says what is wrong, with exit code 2.</summary>
[Collection(FactoryPeers.Name)]
public sealed class UsageTests(TokenSimulators tokens)
{
    [Theory]
    [InlineData("ca create-root", "--passphrase-file")]
    [InlineData("ca create-intermediate", "--issuer")]
    [InlineData("ca import", "--key-file")]
    [InlineData("ca prove", "--code")]
    [InlineData("device create", "--registration-id")]
    [InlineData("device issue", "--csr")]
    [InlineData("device batch", "--key-template")]
    [InlineData("inspect", "--root")]
    public async Task Every_command_has_help_with_its_options_and_exit_codes(string command, string option)
    {
        using var workspace = new Workspace(tokens);

        var result = await Bringup.RunAsync(workspace, [.. command.Split(' '), "--help"]);

        Assert.True(result.ExitCode == 0, result.Transcript);
        Assert.Contains(option, result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("--json", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Exit codes: 0", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_option_names_it_and_points_at_the_commands_help()
    {
        using var workspace = new Workspace(tokens);

        var result = await Bringup.RunAsync(workspace, "ca", "create-root", "--name", "root");

        Assert.True(result.ExitCode == 2, result.Transcript);
        Assert.Contains("bringup: error: option '--subject' is required", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("hint: bringup ca create-root --help", result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--subject", "CN=Root" }, "say where the CA key lives")]
    [InlineData(new[] { "--subject", "CN=Root", "--passphrase-file", "p", "--module", "m" }, "not both")]
    [InlineData(new[] { "--subject", "CN=Root", "--module", "m", "--pin-file", "p" }, "missing: --key")]
    [InlineData(new[] { "--subject", "O=No Common Name", "--passphrase-file", "p" }, "names no CN")]
    [InlineData(new[] { "--subject", "CN=Root", "--passphrase-file", "p", "--path-length", "-1" }, "out of range 0..16")]
    public async Task Where_the_CA_key_lives_and_what_the_CA_is_are_checked_before_anything_is_done(string[] options, string expected)
    {
        using var workspace = new Workspace(tokens);

        var result = await Bringup.RunAsync(workspace, ["ca", "create-root", "--name", "root", .. options]);

        Assert.True(result.ExitCode == 2, result.Transcript);
        Assert.Contains(expected, result.StandardError, StringComparison.Ordinal);
        Assert.Contains("hint: ", result.StandardError, StringComparison.Ordinal);
        Assert.Empty(workspace.FilesUnder("ca"));
    }

    [Fact]
    public async Task With_json_a_failure_is_a_document_on_stdout_too()
    {
        using var workspace = new Workspace(tokens);

        var result = await Bringup.RunAsync(workspace, "ca", "prove", "--ca", "nowhere", "--code", "ABC", "--out", "v.pem", "--json");

        Assert.True(result.ExitCode == 2, result.Transcript);
        using var json = JsonDocument.Parse(result.StandardOutput);
        Assert.False(json.RootElement.GetProperty("ok").GetBoolean());
        var error = json.RootElement.GetProperty("error");
        Assert.Equal("ca.not-found", error.GetProperty("kind").GetString());
        Assert.Equal(2, error.GetProperty("exitCode").GetInt32());
        Assert.Contains("no CA named 'nowhere'", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
