using System.Text.Json;
using System.Text.Json.Nodes;
using DeviceAgent.TestPeers;
using DeviceAgent.Tests.Support;
using ProvisioningEndpoint.Tests.Support;

namespace DeviceAgent.Tests.EndToEnd;

/// <summary>
/// `deviceagent provision` against the real endpoint process through a <see cref="FaultProxy"/>
/// in front of its DPS listener: slow links and connections reset in the middle of the TLS
/// handshake are survived, retried and reported.
/// </summary>
[Collection(TokenPeers.Name)]
public sealed class AgentThroughFaultsTests(TokenSimulators tokens) : IAsyncLifetime
{
    private EndpointProcess _endpoint = null!;

    public async Task InitializeAsync() => _endpoint = await EndpointProcess.StartAsync();

    public async Task DisposeAsync() => await _endpoint.DisposeAsync();

    [Fact]
    public async Task Provisions_through_a_link_that_delays_every_chunk()
    {
        await using var proxy = Proxy();
        proxy.Latency = TimeSpan.FromMilliseconds(150);
        using var device = await EnrolledDeviceAsync();

        var result = await ProvisionAsync(device, proxy);

        Assert.True(result.ExitCode == 0, result.Transcript);
        Assert.Equal("assigned", JsonDocument.Parse(result.StandardOutput).RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Retries_connections_reset_in_the_middle_of_the_TLS_handshake_and_says_why()
    {
        await using var proxy = Proxy(ProxyFault.ResetMidHandshake, faultCount: 2);
        using var device = await EnrolledDeviceAsync();

        var result = await ProvisionAsync(device, proxy, json: false);

        Assert.True(result.ExitCode == 0, result.Transcript);
        Assert.Equal(2, proxy.Faulted);
        Assert.True(proxy.Accepted >= 3, $"{proxy.Accepted} connections");
        Assert.Contains("transient failure (TLS handshake with localhost:", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("retry 2/5", result.StandardError, StringComparison.Ordinal);
        Assert.NotNull(await _endpoint.Store.GetRegistrationAsync(device.Key.Pkcs11!.ObjectLabel!));
    }

    private FaultProxy Proxy(ProxyFault fault = ProxyFault.None, int faultCount = int.MaxValue)
    {
        var port = int.Parse(_endpoint.DeviceEndpoint[(_endpoint.DeviceEndpoint.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        return new FaultProxy("localhost", port, fault, faultCount);
    }

    private async Task<DeviceUnderTest> EnrolledDeviceAsync()
    {
        var device = DeviceUnderTest.Create(tokens.SoftHsm);
        await _endpoint.Store.UploadCaAsync($"root-{Guid.NewGuid():N}", device.Chain.Root, verified: true);
        await _endpoint.Store.PutGroupAsync($"group-{Guid.NewGuid():N}", device.Chain.Intermediate);
        return device;
    }

    private async Task<ProcessResult> ProvisionAsync(DeviceUnderTest device, FaultProxy proxy, bool json = true)
    {
        var path = AgentConfigFile.Write(device, _endpoint, Path.Combine(device.Directory, "state"));
        var config = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        config["provisioning"]!["endpoint"] = $"localhost:{proxy.Port}";
        await File.WriteAllTextAsync(path, config.ToJsonString());
        return await AgentProcess.RunAsync(json ? ["provision", "--config", path, "--json"] : ["provision", "--config", path], device.Token.Environment);
    }
}
