using DeviceAgent.Hardware.Tests.Support;

namespace DeviceAgent.Hardware.Tests.RaspberryPi;

/// <summary>check-tpm.sh against a simulated TPM; a temporary file stands in for /dev/tpmrm0.</summary>
[Collection(SimulatedTpmGroup.Name)]
public sealed class CheckTpmScriptTests(SimulatedTpmFixture tpm) : IDisposable
{
    private readonly string _device = Path.GetTempFileName();

    public void Dispose() => File.Delete(_device);

    [Fact]
    public async Task A_TPM_that_answers_is_reported_with_its_family_and_manufacturer()
    {
        var result = await Scripts.RunAsync("check-tpm.sh", ["--device", _device, "--tcti", tpm.Tcti, "--user", Environment.UserName], tpm.BusEnvironment);
        Assert.True(result.ExitCode == 0, result.Transcript);
        Assert.StartsWith($"TPM 2.0 ready at {_device}\n  manufacturer: IBM", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("  vendor string: SWTPM\n", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"{Environment.UserName} may open {_device}", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_device_points_to_the_overlay_and_the_kernel_log()
    {
        var result = await Scripts.RunAsync("check-tpm.sh", ["--device", _device + ".missing"]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("does not exist: the kernel has not found a TPM", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("dtoverlay=tpm-slb9670", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("dmesg | grep -i tpm", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_TPM_that_does_not_answer_is_an_error()
    {
        var result = await Scripts.RunAsync("check-tpm.sh", ["--device", _device, "--tcti", "tabrmd:bus_type=session,bus_name=com.example.Nobody"], tpm.BusEnvironment);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("the TPM does not answer through tabrmd:", result.StandardError, StringComparison.Ordinal);
    }
}
