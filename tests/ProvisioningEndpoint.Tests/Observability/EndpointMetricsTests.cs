using System.Net;
using System.Text;
using System.Text.Json;
using DeviceAgent.TestPeers;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Storage;
using ProvisioningEndpoint.Tests.Support;

namespace ProvisioningEndpoint.Tests.Observability;

/// <summary>
/// /metrics of a real endpoint, scraped over HTTPS and parsed as the Prometheus text format after
/// real registrations (MQTT and HTTPS), refused chains, a disabled enrollment, failed and
/// succeeded TLS handshakes and hub connections: each counter moved by exactly what was done.
/// </summary>
public sealed class EndpointMetricsTests : IAsyncLifetime
{
    private const string Registrations = "provisioning_endpoint_registrations_total";
    private const string RegistrationDuration = "provisioning_endpoint_registration_duration_seconds";
    private const string ChainRefusals = "provisioning_endpoint_chain_refusals_total";
    private const string Handshakes = "provisioning_endpoint_tls_handshakes_total";
    private const string HubDevices = "provisioning_endpoint_hub_connected_devices";
    private const string StoreDuration = "provisioning_endpoint_store_operation_duration_seconds";

    private FiveDevicesOnEndpoint _rig = null!;

    private FiveDevices Pki => _rig.Pki;

    private EndpointUnderTest Endpoint => _rig.Endpoint;

    public async Task InitializeAsync() => _rig = await FiveDevicesOnEndpoint.StartAsync();

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    [Fact]
    public async Task Registrations_chain_refusals_handshakes_and_store_operations_count_exactly_what_was_done()
    {
        using var strangerRoot = TestCa.CreateRoot("Fabrikam Root CA");
        using var stranger = strangerRoot.IssueDevice("stranger-1");
        await Endpoint.Store.PutIndividualAsync("device-1", Pki[1].Leaf);
        await Endpoint.Store.PutIndividualAsync("device-2", Pki[2].Leaf, ProvisioningStatus.Disabled);
        await Endpoint.Store.PutIndividualAsync("device-4", Pki[4].Leaf);
        var stale = await Record.ExceptionAsync(() => Endpoint.Store.PutIndividualAsync("device-1", Pki[1].Leaf, ifMatch: "\"stale\""));
        Assert.IsType<StoreConflictException>(stale);

        await Endpoint.AssertAssignedAsync(Pki[1]);
        await Endpoint.AssertRefusedAsync(Pki[2], "disabled");
        await Endpoint.AssertRefusedAsync(stranger, status: 401); // its root is not verified
        await Endpoint.AssertRefusedAsync(Pki[3], status: 401); // trusted, but no enrollment decides for it
        using (var https = new DeviceHttpsClient(Endpoint, Pki[4]))
        {
            var accepted = await https.RegisterAsync("device-4", """{"registrationId":"device-4"}""");
            Assert.True(accepted.Status == HttpStatusCode.Accepted, accepted.ToString());
            var malformed = await https.RegisterAsync("device-4", "not json");
            Assert.True(malformed.Status == HttpStatusCode.BadRequest, malformed.ToString());
        }
        // Not TLS at all: a failed handshake on the DPS port.
        await using (var plain = await RawMqtt.TcpAsync(Endpoint.Configuration.DevicePort))
        {
            await plain.WriteAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
            var buffer = new byte[256];
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (await plain.ReadAsync(buffer, patience.Token) > 0)
            {
            }
        }

        var metrics = await Endpoint.ScrapeUntilAsync(m => m.Value(Handshakes, ("listener", "dps"), ("result", "failed")) >= 1);

        Assert.Equal(1, metrics.Value(Registrations, ("transport", "mqtt"), ("outcome", "assigned"), ("error_code", "")));
        Assert.Equal(1, metrics.Value(Registrations, ("transport", "mqtt"), ("outcome", "disabled"), ("error_code", "401002")));
        Assert.Equal(2, metrics.Value(Registrations, ("transport", "mqtt"), ("outcome", "refused"), ("error_code", "401002")));
        Assert.Equal(1, metrics.Value(Registrations, ("transport", "https"), ("outcome", "assigned"), ("error_code", "")));
        Assert.Equal(1, metrics.Value(Registrations, ("transport", "https"), ("outcome", "refused"), ("error_code", "400004")));
        Assert.Equal(6, metrics.Where(Registrations).Sum(s => s.Value));

        Assert.Equal(1, metrics.Value(ChainRefusals, ("reason", "untrusted_chain")));
        Assert.Equal(1, metrics.Value(ChainRefusals, ("reason", "no_enrollment")));
        Assert.Equal(2, metrics.Where(ChainRefusals).Sum(s => s.Value));

        // One TLS connection per registration of the agent's DPS client; the HTTPS client kept one.
        Assert.Equal(4, metrics.Value(Handshakes, ("listener", "dps"), ("result", "succeeded")));
        Assert.Equal(1, metrics.Value(Handshakes, ("listener", "dps"), ("result", "failed")));
        Assert.Equal(1, metrics.Value(Handshakes, ("listener", "device-https"), ("result", "succeeded")));
        Assert.Equal(0, metrics.Value(Handshakes, ("listener", "device-https"), ("result", "failed")));
        Assert.True(metrics.Value(Handshakes, ("listener", "rest"), ("result", "succeeded")) >= 1, "the scrape's own handshake is not counted");

        AssertHistogram(metrics, RegistrationDuration, 1, ("transport", "mqtt"), ("outcome", "assigned"));
        AssertHistogram(metrics, RegistrationDuration, 2, ("transport", "mqtt"), ("outcome", "refused"));
        AssertHistogram(metrics, RegistrationDuration, 1, ("transport", "https"), ("outcome", "assigned"));

        // The test's own store calls, through the same metered store the endpoint uses.
        AssertHistogram(metrics, StoreDuration, 3, ("operation", "PutIndividualEnrollment"), ("result", "ok"));
        AssertHistogram(metrics, StoreDuration, 1, ("operation", "PutIndividualEnrollment"), ("result", "conflict"));
        // The refused and disabled registrations were recorded; the assigned ones went in with their hub device.
        AssertHistogram(metrics, StoreDuration, 3, ("operation", "PutRegistration"), ("result", "ok"));
        AssertHistogram(metrics, StoreDuration, 2, ("operation", "PutAssignment"), ("result", "ok"));
        Assert.Equal(0, metrics.Where(StoreDuration + "_count", ("result", "error")).Sum(s => s.Value));
    }

    [Fact]
    public async Task The_connected_devices_gauge_of_a_hub_follows_its_connections()
    {
        await Endpoint.Store.PutGroupAsync("root-group", Pki.Root.Certificate);
        await Endpoint.AssertAssignedAsync(Pki[1]);
        await Endpoint.AssertAssignedAsync(Pki[2]);
        Assert.Equal(0, (await Endpoint.ScrapeAsync()).Value(HubDevices, ("hub", "hub1")));

        await using var first = await Endpoint.ConnectAsync(Pki[1]);
        await using (var second = await Endpoint.ConnectAsync(Pki[2]))
        {
            var both = await Endpoint.ScrapeUntilAsync(m => m.Value(HubDevices, ("hub", "hub1")) == 2);
            Assert.Equal(2, both.Value(HubDevices, ("hub", "hub1")));
            Assert.Equal(2, both.Value(Handshakes, ("listener", "hub:hub1"), ("result", "succeeded")));
        }
        var one = await Endpoint.ScrapeUntilAsync(m => m.Value(HubDevices, ("hub", "hub1")) == 1);
        Assert.Equal(1, one.Value(HubDevices, ("hub", "hub1")));

        await first.DisposeAsync();
        var none = await Endpoint.ScrapeUntilAsync(m => m.Value(HubDevices, ("hub", "hub1")) == 0);
        Assert.Equal(0, none.Value(HubDevices, ("hub", "hub1")));
    }

    [Fact]
    public async Task Metrics_are_served_without_credentials_on_the_REST_port_only_and_name_no_device_and_no_secret()
    {
        await Endpoint.Store.PutGroupAsync("root-group", Pki.Root.Certificate);
        await Endpoint.AssertAssignedAsync(Pki[5]);

        // info --json names the URL a scraper uses.
        var info = await ExternalProcess.RunAsync("dotnet", [BuiltPrograms.ProvisioningEndpoint, "info", "--data-dir", Endpoint.Data.Path, "--json"]);
        Assert.True(info.ExitCode == 0, info.Transcript);
        var url = JsonDocument.Parse(info.StandardOutput).RootElement.GetProperty("metricsUrl").GetString();
        Assert.Equal($"https://localhost:{Endpoint.Configuration.RestPort}/metrics", url);

        var (status, contentType, body) = await MetricsScrape.GetAsync(Endpoint, url);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("text/plain; version=0.0.4", contentType, StringComparison.Ordinal);
        var metrics = PrometheusText.Parse(body);
        Assert.Equal("counter", metrics.Types["provisioning_endpoint_registrations_total"]);
        Assert.Equal("histogram", metrics.Types[RegistrationDuration]);
        Assert.Equal("gauge", metrics.Types[HubDevices]);
        Assert.Contains(metrics.Samples, s => s.Name == "process_cpu_seconds_total");

        Assert.DoesNotContain("device-5", body, StringComparison.Ordinal);
        Assert.DoesNotContain(Pki[5].Leaf.Thumbprint, body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String(Endpoint.Data.ReadOwnerKey()), body, StringComparison.Ordinal);
        Assert.DoesNotContain(Endpoint.Configuration.IdScope, body, StringComparison.Ordinal);
        // Bounded labels only: no registration id, device id, address or certificate is a label.
        var labels = metrics.Samples.Where(s => s.Name.StartsWith("provisioning_endpoint_", StringComparison.Ordinal)).SelectMany(s => s.Labels.Keys).ToHashSet();
        Assert.Subset(new HashSet<string> { "error_code", "hub", "le", "listener", "operation", "outcome", "reason", "result", "transport" }, labels);

        foreach (var other in new[] { Endpoint.Configuration.Hubs[0].RegistryPort, Endpoint.Configuration.DeviceHttpsPort })
        {
            var (otherStatus, _, otherBody) = await MetricsScrape.GetAsync(Endpoint, $"https://localhost:{other}/metrics");
            Assert.True(otherStatus == HttpStatusCode.NotFound, $"port {other} answered {(int)otherStatus}: {otherBody}");
        }
    }

    // A histogram's count, its +Inf bucket equal to it, cumulative buckets, and a positive sum.
    private static void AssertHistogram(PrometheusText metrics, string name, double count, params (string Name, string Value)[] labels)
    {
        Assert.Equal(count, metrics.Value(name + "_count", labels));
        Assert.Equal(count, metrics.Value(name + "_bucket", [.. labels, ("le", "+Inf")]));
        var buckets = metrics.Where(name + "_bucket", labels).Select(b => b.Value).ToList();
        Assert.True(buckets.Count > 2, $"{name} has {buckets.Count} buckets");
        Assert.Equal(buckets.Order(), buckets);
        Assert.True(metrics.Value(name + "_sum", labels) > 0, $"{name}_sum is not positive");
    }
}
