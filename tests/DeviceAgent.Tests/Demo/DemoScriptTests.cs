using DeviceAgent.TestPeers;

namespace DeviceAgent.Tests.Demo;

/// <summary>
/// <c>deploy/demo/demo.sh</c>, which <c>./build.sh demo</c> runs, tells the whole story against
/// real peers with the programs of this build: if a command, an option or an output it relies on
/// changes, this fails here and not in front of a customer. It leaves nothing behind.
/// </summary>
public sealed class DemoScriptTests
{
    [Fact]
    public async Task The_demo_provisions_a_TPM_device_sends_telemetry_blocks_it_and_cleans_up()
    {
        var temp = Directory.CreateTempSubdirectory("demo-test.").FullName;
        try
        {
            var result = await ExternalProcess.RunAsync(Path.Combine(RepositoryPaths.Root, "deploy", "demo", "demo.sh"), [],
                new Dictionary<string, string> { ["CONFIGURATION"] = BuiltPrograms.Configuration, ["TMPDIR"] = temp }, TimeSpan.FromMinutes(5));

            Assert.True(result.ExitCode == 0, result.Transcript);
            var output = result.StandardOutput;
            foreach (var expected in new[]
            {
                "CA 'root' is verified on localhost:",
                "created enrollment group 'line-a' (enabled)",
                "tpm:handle=0x81000101 (generated inside the token)", // in the TPM through our own stack, no tpm2-pkcs11
                "\"status\": \"assigned\"",
                "message(s) from device 'demo-device-001' in hub",
                "deviceagent stopped cleanly (exit 0)",
                "created individual enrollment 'demo-device-001' (disabled)",
                "\"errorMessage\": \"DPS reports registration 'demo-device-001' disabled: individual enrollment 'demo-device-001' is disabled\"",
                "demo: done; everything stopped and removed",
            })
            {
                Assert.Contains(expected, output, StringComparison.Ordinal);
            }
            Assert.Empty(Directory.EnumerateFileSystemEntries(temp));
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }
}
