using DeviceAgent.TestPeers;
using DeviceAgent.Tpm.Transport;

namespace DeviceAgent.Tpm.Tests.Transport;

public sealed class TpmSpecTests
{
    [Theory]
    [InlineData(null, "/dev/tpmrm0", null, 0)]
    [InlineData("device:/dev/tpm0", "/dev/tpm0", null, 0)]
    [InlineData("swtpm:host=127.0.0.1,port=2321", null, "127.0.0.1", 2321)]
    [InlineData("swtpm:port=4000", null, "127.0.0.1", 4000)]
    public void Parses_device_and_swtpm_specs(string? text, string? device, string? host, int port)
    {
        var spec = TpmSpec.Parse(text);
        Assert.Equal(device, spec.DevicePath);
        Assert.Equal(host, spec.Host);
        Assert.Equal(port, spec.Port);
    }

    [Theory]
    [InlineData("tcp:127.0.0.1", "neither")]
    [InlineData("device:dev/tpm0", "absolute path")]
    [InlineData("swtpm:port=abc", "port=")]
    [InlineData("swtpm:color=blue", "host=NAME")]
    public void Bad_specs_say_what_is_expected(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => TpmSpec.Parse(text));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_simulator_that_is_not_there_is_a_clear_error()
    {
        var port = FreePort.Next();
        var error = Assert.Throws<TpmTransportException>(() => TpmSpec.Parse($"swtpm:port={port}").Open());
        Assert.Contains($"no TPM simulator at 127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
        Assert.Contains("swtpm socket --tpm2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_device_that_is_not_there_is_a_clear_error()
    {
        var error = Assert.Throws<TpmTransportException>(() => TpmSpec.Parse("device:/dev/tpmrm-missing").Open());
        Assert.Contains("TPM device /dev/tpmrm-missing does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_simulator_killed_mid_session_is_a_clear_error_not_a_hang()
    {
        using var swtpm = await Swtpm.StartAsync();
        using var tpm = Tpm2.Open(TpmSpec.Parse(swtpm.Spec));
        tpm.GetRandom(8);
        swtpm.Kill();
        var error = Assert.Throws<TpmTransportException>(() => tpm.GetRandom(8));
        Assert.Contains("is the simulator still running?", error.Message, StringComparison.Ordinal);
    }
}
