using DeviceAgent.TestPeers;

namespace ProvisioningEndpoint.Tests.Scaling;

/// <summary><c>serve --store</c>: what a bad store option or an unreachable store tells the operator.</summary>
public sealed class StoreOptionTests
{
    [Fact]
    public async Task A_password_in_the_store_option_is_refused_as_a_usage_error_without_echoing_it()
    {
        var directory = Directory.CreateTempSubdirectory("store-option.").FullName;
        try
        {
            var result = await ExternalProcess.RunAsync("dotnet", [BuiltPrograms.ProvisioningEndpoint, "serve", "--data-dir", directory,
                "--store", "Host=127.0.0.1;Database=provisioning;Username=endpoint;Password=hunter2-secret"]);

            Assert.True(result.ExitCode == 2, result.Transcript);
            Assert.Contains("--store must not carry the password", result.StandardError, StringComparison.Ordinal);
            Assert.Contains("--store-password-file", result.StandardError, StringComparison.Ordinal);
            Assert.DoesNotContain("hunter2-secret", result.StandardError + result.StandardOutput, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(directory, "endpoint.json")), "nothing is initialised on a usage error");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task An_unreachable_store_fails_with_what_to_check()
    {
        var directory = Directory.CreateTempSubdirectory("store-option.").FullName;
        try
        {
            var closed = FreePort.Next(); // nothing listens there
            var result = await ExternalProcess.RunAsync("dotnet", [BuiltPrograms.ProvisioningEndpoint, "serve", "--data-dir", directory,
                "--store", $"Host=127.0.0.1;Port={closed};Database=provisioning;Username=endpoint;Timeout=5",
                "--device-port", $"{FreePort.Next()}", "--rest-port", $"{FreePort.Next()}", "--device-https-port", "0", "--hub", $"hub1=localhost:{FreePort.Next()}"]);

            Assert.True(result.ExitCode == 1, result.Transcript);
            Assert.Contains("cannot open the store", result.StandardError, StringComparison.Ordinal);
            Assert.Contains("check --store, the password", result.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
