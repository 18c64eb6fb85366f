using System.Net;
using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Tls;
using DeviceAgent.Provisioning.Client;
using DeviceAgent.Provisioning.Transport;
using DeviceAgent.TestPeers;
using ProvisioningEndpoint.Tests.Support;

namespace ProvisioningEndpoint.Tests.Scaling;

/// <summary>
/// Scale-out, end to end with real peers: two <c>provisioning-endpoint</c> processes on one
/// PostgreSQL behind HAProxy (TCP mode, TLS passed through). One cluster per test (its start is
/// the expensive part), several properties checked on it in order.
/// </summary>
public sealed class ScaleOutTests
{
    private const int Devices = 400;

    [Fact]
    public async Task Two_instances_behind_haproxy_share_everything_and_lose_nothing_when_one_is_killed_mid_load()
    {
        await using var cluster = await EndpointCluster.StartAsync(2);
        var (first, second) = (cluster.Instances[0], cluster.Instances[1]);

        // Every instance tells scripts the same ID scope and connection string, and serves one TLS identity.
        var infos = await Task.WhenAll(cluster.Instances.Select(EndpointCluster.InfoAsync));
        Assert.Equal(infos[0].GetProperty("idScope").GetString(), infos[1].GetProperty("idScope").GetString());
        Assert.Equal(infos[0].GetProperty("connectionString").GetString(), infos[1].GetProperty("connectionString").GetString());
        Assert.Equal(await File.ReadAllTextAsync(infos[0].GetProperty("serverCaCertificate").GetString()!),
            await File.ReadAllTextAsync(infos[1].GetProperty("serverCaCertificate").GetString()!));

        // A CA uploaded and given a code through one instance, verified through the other, anchors a
        // group created through the first; the verification code is spent for both.
        using var root = TestCa.CreateRoot("Scale Root");
        using var line = root.IssueIntermediate("Scale Line CA");
        using var restFirst = RestClient.Provisioning(cluster.ServerCaPath, cluster.OwnerKey, first.RestPort, cluster.RestPort);
        using var restSecond = RestClient.Provisioning(cluster.ServerCaPath, cluster.OwnerKey, second.RestPort, cluster.RestPort);
        await restFirst.UploadCaAsync("root", root.Certificate);
        var (code, etag) = await restFirst.GenerateCodeAsync("root");
        using var verification = root.SignVerificationCertificate(code);
        var verified = await restSecond.VerifyAsync("root", verification, etag);
        Assert.True(verified.Status == HttpStatusCode.OK, $"verify through the second instance: {verified}");
        var again = await restFirst.VerifyAsync("root", verification);
        Assert.Equal(HttpStatusCode.BadRequest, again.Status);
        var groupEtag = await restFirst.CreateGroupAsync("line", line.Certificate, status: "disabled");

        // An enrollment change through one instance decides registrations on the other within 1 s.
        using var probe = line.IssueDevice("probe-device");
        await Assert.ThrowsAnyAsync<Exception>(() => RegisterOnceAsync(cluster, probe, second.DevicePort));
        var enabled = await restFirst.PutAsync("/enrollmentGroups/line", RestBodies.Group("line", line.Certificate, "enabled"), groupEtag);
        Assert.True(enabled.Status == HttpStatusCode.OK, enabled.ToString());
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal("probe-device", await RegisterOnceAsync(cluster, probe, second.DevicePort));

        // One device registering on both instances at once: one hub device, one record, assigned.
        using var twin = line.IssueDevice("twin-device");
        var racing = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Try(RegisterOnceAsync(cluster, twin, cluster.Instances[i % 2].DevicePort))));
        Assert.Contains(true, racing);
        Assert.Single(await cluster.Store.ListHubDevicesAsync("hub1"), d => d.DeviceId == "twin-device");
        Assert.Equal("assigned", (await cluster.Store.GetRegistrationAsync("twin-device"))?.Status);

        // 400 devices through HAProxy; the first instance is SIGKILLed a third of the way in.
        using var fleet = new DeviceFleet(line, Devices, "scale");
        var killed = 0;
        var outcome = await fleet.RegisterAsync(cluster.IdScope, cluster.ServerCaPath, cluster.DevicePort, concurrency: 16, progress: done =>
        {
            if (done == Devices / 3 && Interlocked.Exchange(ref killed, 1) == 0)
                EndpointCluster.Kill(first);
        });

        Assert.True(first.Process.HasExited, "the first instance was killed");
        Assert.True(outcome.Failures.Count == 0, $"{outcome.Failures.Count} devices failed: {string.Join("; ", outcome.Failures.Take(5))}\n{second.Log[^Math.Min(second.Log.Length, 3000)..]}");
        var expected = fleet.Devices.Select(d => d.RegistrationId).Append("probe-device").Append("twin-device").ToHashSet(StringComparer.Ordinal);
        var records = await cluster.Store.ListRegistrationsAsync();
        var hubDevices = await cluster.Store.ListHubDevicesAsync("hub1");
        Assert.True(records.Select(r => r.RegistrationId).ToHashSet(StringComparer.Ordinal).SetEquals(expected), "one record per device, none lost");
        Assert.All(records, r => Assert.Equal("assigned", r.Status));
        Assert.Equal(expected.Count, hubDevices.Count);
        Assert.True(hubDevices.Select(d => d.DeviceId).ToHashSet(StringComparer.Ordinal).SetEquals(expected), "one hub device per device, none duplicated");
    }

    private static async Task<string> RegisterOnceAsync(EndpointCluster cluster, TestDevice device, int port)
    {
        using var bundle = ChainBundle.Create(device.FullChain, device.RegistrationId);
        using var tls = TlsClientIdentity.Create(bundle, device.Key);
        var transport = new DpsTransport("localhost", port, tls, TlsServerTrust.FromPemFile(cluster.ServerCaPath));
        var client = new DpsClient(transport.ConnectAsync, new DpsClientOptions { DefaultPollInterval = TimeSpan.Zero, MaximumRetries = 0 });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var result = await client.RegisterAsync(cluster.IdScope, device.RegistrationId, null, timeout.Token);
        return result.DeviceId;
    }

    private static async Task<bool> Try(Task task)
    {
        try
        {
            await task;
            return true;
        }
#pragma warning disable CA1031 // a losing racer may fail; the test asserts on the store's end state
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }
}
