using Prometheus;

namespace ProvisioningEndpoint.Observability;

/// <summary>
/// The endpoint's Prometheus metrics, in a registry of its own (one per endpoint, so that several
/// endpoints in one process, as in the tests, never share counts), served at <c>/metrics</c>
/// (<see cref="MetricsRoute"/>). The scrape is unauthenticated, so every label is drawn from a
/// bounded set: outcomes, DPS error codes, refusal reasons, listener and hub names from the
/// configuration, store operation names. No registration id, device id, address or certificate
/// ever becomes a label. Thread-safe.
/// </summary>
public sealed class EndpointMetrics
{
    /// <summary>The prefix of every metric name.</summary>
    public const string Prefix = "provisioning_endpoint_";

    private readonly Counter _registrations;
    private readonly Histogram _registrationDuration;
    private readonly Counter _chainRefusals;
    private readonly Counter _handshakes;
    private readonly Gauge _hubDevices;
    private readonly Histogram _storeDuration;

    /// <summary>Creates the registry and its metrics (and the process and .NET runtime metrics).</summary>
    public EndpointMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        DotNetStats.Register(Registry);
        var factory = Metrics.WithCustomRegistry(Registry);
        _registrations = factory.CreateCounter(Prefix + "registrations_total",
            "Register requests decided, by transport (mqtt, https), outcome (assigned, disabled, failed, refused, challenged) and DPS error code (empty when none).",
            ["transport", "outcome", "error_code"]);
        // Sub-millisecond to tens of seconds: a registration is a few store round trips, or a
        // chain build and a PBKDF2 issuer-key decryption when a certificate is issued.
        _registrationDuration = factory.CreateHistogram(Prefix + "registration_duration_seconds",
            "Processing time of a register request, from its arrival to its decided outcome (recorded before the 202 is sent), by transport and outcome.",
            ["transport", "outcome"], new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 15) });
        _chainRefusals = factory.CreateCounter(Prefix + "chain_refusals_total",
            "X.509 registrations refused by the chain and enrollment judgement, by reason.",
            ["reason"]);
        _handshakes = factory.CreateCounter(Prefix + "tls_handshakes_total",
            "TLS handshakes on the endpoint's listeners, by listener (dps, device-https, rest, hub:NAME, registry:NAME) and result (succeeded, failed).",
            ["listener", "result"]);
        _hubDevices = factory.CreateGauge(Prefix + "hub_connected_devices",
            "Devices connected to a hub's MQTT endpoint, by hub.",
            ["hub"]);
        _storeDuration = factory.CreateHistogram(Prefix + "store_operation_duration_seconds",
            "Latency of the store's operations, by operation (the IProvisioningStore method) and result (ok, conflict, cancelled, error).",
            ["operation", "result"], new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0001, 2, 16) });
    }

    /// <summary>The registry <c>/metrics</c> exports.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Records a decided register request.</summary>
    /// <param name="transport">mqtt or https.</param>
    /// <param name="outcome">One of <see cref="RegistrationOutcomes"/>.</param>
    /// <param name="errorCode">The DPS error code the device is given, if any.</param>
    /// <param name="elapsed">How long the request took to decide.</param>
    public void RegistrationDecided(string transport, string outcome, int? errorCode, TimeSpan elapsed)
    {
        _registrations.WithLabels(transport, outcome, errorCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "").Inc();
        _registrationDuration.WithLabels(transport, outcome).Observe(elapsed.TotalSeconds);
    }

    /// <summary>Records a chain refusal; <paramref name="reason"/> is one of <see cref="Attestation.ChainRefusalReasons"/>.</summary>
    public void ChainRefused(string reason) => _chainRefusals.WithLabels(reason).Inc();

    /// <summary>Records a TLS handshake's result on a listener.</summary>
    public void Handshake(string listener, bool succeeded) => _handshakes.WithLabels(listener, succeeded ? "succeeded" : "failed").Inc();

    /// <summary>Records one store operation.</summary>
    public void StoreOperation(string operation, string result, TimeSpan elapsed) =>
        _storeDuration.WithLabels(operation, result).Observe(elapsed.TotalSeconds);

    /// <summary>Has the connected-devices gauge of <paramref name="hub"/> read from <paramref name="count"/> at each scrape.</summary>
    public void ObserveHubDevices(string hub, Func<Task<int>> count)
    {
        ArgumentNullException.ThrowIfNull(count);
        var gauge = _hubDevices.WithLabels(hub);
        gauge.Set(0);
        Registry.AddBeforeCollectCallback(async _ => gauge.Set(await count().ConfigureAwait(false)));
    }
}
