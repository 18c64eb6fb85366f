using DeviceAgent.Configuration;
using DeviceAgent.Hardware.Status;
using DeviceAgent.Hub;
using DeviceAgent.Identity;
using DeviceAgent.Pki.Tls;
using DeviceAgent.Provisioning;
using DeviceAgent.Renewal;
using DeviceAgent.State;
using DeviceAgent.Systemd;
using DeviceAgent.Telemetry;
using Microsoft.Extensions.Logging;
using MQTTnet.Exceptions;

namespace DeviceAgent.Runtime;

/// <summary>
/// The daemon: from factory-fresh to connected, and back to connected after reboots, outages and
/// operator actions. With valid state it connects straight to the hub; without it (or with a changed
/// certificate, ID scope or registration id) it provisions first. A hub that refuses the device
/// (disabled, deleted, moved) triggers re-provisioning, rate-limited. Transient failures back off
/// with jitter; refusals back off longer. Reports its state to systemd and the status LED.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable",
    Justification = "_attestation lives for one RunAsync call, which disposes it (and each one a renewal replaces)")]
public sealed partial class AgentRuntime(
    AgentConfiguration configuration,
    IStatusIndicator indicator,
    SystemdNotifier notifier,
    IReadOnlyList<ITelemetrySource> telemetrySources,
    RuntimeOptions options,
    TimeProvider clock,
    ILogger<AgentRuntime> logger)
{
    private readonly StateStore _store = new(configuration.StateDirectory);
    private readonly DateTimeOffset _started = clock.GetUtcNow();
    private long _heartbeat = clock.GetTimestamp();
    private volatile bool _reprovisionRequested;
    private CancellationTokenSource? _interrupt;
    private AgentAttestation? _attestation;
    private RenewalDriver? _renewal;

    /// <summary>Raised after each telemetry message the hub acknowledged (sequence number).</summary>
    public event Action<long>? TelemetryAcknowledged;

    /// <summary>Asks the agent to forget its assignment and provision again (the button's long press).</summary>
    public void RequestReprovision()
    {
        _reprovisionRequested = true;
        LogReprovisionRequested();
        _interrupt?.Cancel();
    }

    /// <summary>
    /// Runs until <paramref name="cancellationToken"/> (SIGTERM) with the device identity, which may
    /// still be opening (<see cref="DeviceIdentity.Open(IdentitySettings)"/> started by the caller); disposes it.
    /// </summary>
    /// <exception cref="IdentityException">The device identity cannot be used: nothing will work until it is fixed.</exception>
    public Task RunAsync(Task<DeviceIdentity> openingIdentity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(openingIdentity);
        return RunAsync(Attest(), cancellationToken);

        async Task<AgentAttestation> Attest() => new X509AgentAttestation(configuration, await openingIdentity.ConfigureAwait(false), clock);
    }

    /// <summary>
    /// Runs until <paramref name="cancellationToken"/> with the device's attestation (X.509 or TPM),
    /// which may still be opening; disposes it.
    /// </summary>
    /// <exception cref="IdentityException">The identity (key, chain or TPM) cannot be used.</exception>
    public async Task RunAsync(Task<AgentAttestation> openingAttestation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(openingAttestation);
        _attestation = await openingAttestation.ConfigureAwait(false);
        try
        {
            await RunWithAttestationAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _attestation.Dispose();
        }
    }

    private async Task RunWithAttestationAsync(CancellationToken cancellationToken)
    {
        var hubTrust = configuration.Hub.Trust is null ? TlsServerTrust.SystemStore : TlsServerTrust.FromPemFile(configuration.Hub.Trust);
        var keepAlive = TimeSpan.FromSeconds(configuration.Hub.KeepAliveSeconds);
        if (_attestation is X509AgentAttestation x509)
        {
            // cert-renewal (X.509 leaves only; a TPM-attested device has no certificate): finish a renewal a
            // crash interrupted, replace an expired renewed leaf, then renew in the telemetry loop.
            var renewal = new CertificateRenewal(configuration, _store, clock) { Dps = options.Dps };
            if (options.RenewalStepReached is { } stepReached)
                renewal.StepReached += stepReached;
            _renewal = new RenewalDriver(configuration, renewal, _store, clock, logger);
            if (await _renewal.RecoverAsync(x509.Identity, hubTrust, keepAlive, cancellationToken).ConfigureAwait(false) is { } recovered)
                SwapIdentity(recovered);
            if (await _renewal.ReRegisterIfFallenBackAsync(((X509AgentAttestation)_attestation).Identity, hubTrust, keepAlive, cancellationToken).ConfigureAwait(false) is { } replaced)
                SwapIdentity(replaced);
        }
        notifier.Ready(_attestation!.Description);
        using var watchdog = StartWatchdog(cancellationToken);
        var transient = new RetryPolicy(options.TransientMinimum, options.TransientMaximum);
        var refused = new RetryPolicy(options.RefusedMinimum, options.RefusedMaximum);
        var reprovision = new RetryPolicy(options.ReprovisionMinimum, options.ReprovisionMaximum);

        while (!cancellationToken.IsCancellationRequested)
        {
            Beat();
            using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _interrupt = interrupt;
            try
            {
                var state = await EnsureProvisionedAsync(_attestation!, interrupt.Token).ConfigureAwait(false);
                Show(DeviceState.Provisioning, $"connecting to hub {state.AssignedHub} as '{state.DeviceId}'");
                await using var hub = await _attestation!.ConnectHubAsync(state, hubTrust, keepAlive, interrupt.Token).ConfigureAwait(false);
                transient.Reset();
                refused.Reset();
                reprovision.Reset();
                Show(DeviceState.Connected, $"connected to hub {state.AssignedHub} as '{state.DeviceId}'");
                LogConnected(state.AssignedHub, state.DeviceId);
                await SendTelemetryUntilDisconnectedAsync(hub, hubTrust, keepAlive, interrupt.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (OperationCanceledException) when (_reprovisionRequested)
            {
                // The button (or an operator) asked for a fresh provisioning: loop at once.
            }
            catch (HubRefusedException e)
            {
                var wait = reprovision.Next();
                LogHubRefused(e.Message, wait.TotalSeconds);
                Show(DeviceState.Error, $"{e.Message}; provisioning again in {wait.TotalSeconds:0} s");
                _reprovisionRequested = true;
                await WaitAsync(wait, cancellationToken).ConfigureAwait(false);
            }
            catch (ProvisioningException e) when (!e.IsTransient)
            {
                var wait = refused.Next();
                LogRefused(e.Message, e.LikelyCause ?? "", wait.TotalSeconds);
                Show(DeviceState.Error, $"DPS refused the device: {e.Message}; trying again in {wait.TotalSeconds:0} s");
                await WaitAsync(wait, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ProvisioningException or TlsConnectionException or MqttCommunicationException or IOException or TimeoutException)
            {
                var wait = transient.Next();
                LogTransient(e.Message, wait.TotalSeconds);
                Show(DeviceState.Error, $"{e.Message}; retrying in {wait.TotalSeconds:0} s");
                await WaitAsync(wait, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _interrupt = null;
            }
        }
        notifier.Stopping();
        LogStopped();
    }

    private async Task<AgentState> EnsureProvisionedAsync(AgentAttestation identity, CancellationToken cancellationToken)
    {
        AgentState? state;
        try
        {
            state = _store.Load();
        }
        catch (StateException e)
        {
            LogStateUnusable(e.Message);
            state = null;
        }
        var stale = _reprovisionRequested ? "a new provisioning was requested" : identity.WhyStale(state);
        if (stale is null)
            return state!;

        Show(DeviceState.Provisioning, $"provisioning with DPS ({stale})");
        LogProvisioning(stale);
        var assigned = await identity.ProvisionAsync(message => { Beat(); LogProgress(message); }, options.Dps, cancellationToken).ConfigureAwait(false);
        _store.SaveAssignment(assigned);
        _reprovisionRequested = false;
        LogAssigned(assigned.AssignedHub, assigned.DeviceId, assigned.Substatus ?? "");
        return assigned;
    }

    // Telemetry every interval and, independently, the renewal driver's looks (its own monotonic timer:
    // a renewal is noticed within renewal.clockCheckInterval however long the telemetry interval is).
    private async Task SendTelemetryUntilDisconnectedAsync(HubSession connected, TlsServerTrust hubTrust, TimeSpan keepAlive, CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromSeconds(configuration.Hub.TelemetryIntervalSeconds);
        long sequence = 0;
        var hub = connected;
        Task? closing = null;
        Task? look = Task.CompletedTask; // the first look right after the first message: a due renewal or retired key is not left waiting
        using var looking = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken); // ends the look's timer with this connection
        long? sent = null;
        try
        {
            while (true)
            {
                if (sent is null || clock.GetElapsedTime(sent.Value) >= interval)
                {
                    var body = await ComposeTelemetryAsync(sequence, cancellationToken).ConfigureAwait(false);
                    await hub.SendTelemetryAsync(body, cancellationToken).ConfigureAwait(false);
                    sent = clock.GetTimestamp();
                    TelemetryAcknowledged?.Invoke(sequence);
                    sequence++;
                    Beat();
                    if (closing is not null)
                    {
                        await closing.ConfigureAwait(false);
                        closing = null;
                    }
                }
                // cert-renewal: a due renewal issues in the background; a committed one hands over its connection.
                if (_renewal is not null && _attestation is X509AgentAttestation current)
                {
                    if (look is { IsCompleted: true })
                    {
                        await look.ConfigureAwait(false); // surfaces a cancellation
                        look = null;
                        if (await _renewal.PollAsync(hub, current.Identity, hubTrust, keepAlive, cancellationToken).ConfigureAwait(false) is { } renewed)
                        {
                            closing = CloseReplacedAsync(hub, current);
                            hub = renewed.Hub;
                            _attestation = new X509AgentAttestation(configuration, renewed.Identity, clock);
                            continue; // the next look is for the new identity
                        }
                    }
                    look ??= _renewal.NextLookAsync(current.Identity, looking.Token);
                }
                var elapsed = clock.GetElapsedTime(sent.Value);
                using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var next = WaitAsync(elapsed < interval ? interval - elapsed : TimeSpan.Zero, waiting.Token);
                var finished = look is null
                    ? await Task.WhenAny(next, hub.Completion).ConfigureAwait(false)
                    : await Task.WhenAny(next, hub.Completion, look).ConfigureAwait(false);
                if (finished == hub.Completion)
                {
                    await hub.Completion.ConfigureAwait(false); // surfaces why the connection ended
                    throw new MqttCommunicationException($"the hub {hub.Hub} closed the connection");
                }
                if (finished != next)
                    await waiting.CancelAsync().ConfigureAwait(false); // WaitAsync returns at once, without throwing
                await next.ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            await looking.CancelAsync().ConfigureAwait(false);
            if (closing is not null)
                await closing.ConfigureAwait(false);
            if (hub != connected)
                await hub.DisposeAsync().ConfigureAwait(false);
        }
    }

    // The connection and identity a renewal replaced close off the telemetry path (a DISCONNECT may
    // wait); the identity only after its connection, whose TLS session uses its key.
    private static async Task CloseReplacedAsync(HubSession hub, AgentAttestation identity)
    {
        try
        {
            await hub.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            identity.Dispose();
        }
    }

    // The identity the start-up recovery produced replaces the current one (which it shares the key backends with).
    private void SwapIdentity(DeviceIdentity renewed)
    {
        var old = _attestation;
        _attestation = new X509AgentAttestation(configuration, renewed, clock);
        old?.Dispose();
    }

    private async Task<IReadOnlyDictionary<string, object>> ComposeTelemetryAsync(long sequence, CancellationToken cancellationToken)
    {
        var readings = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var source in telemetrySources)
        {
            try
            {
                foreach (var (name, value) in await source.ReadAsync(cancellationToken).ConfigureAwait(false))
                    readings[name] = value;
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
            {
                LogTelemetrySourceFailed(source.GetType().Name, e.Message);
            }
        }
        return new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["sequence"] = sequence,
            ["uptimeSeconds"] = Math.Round((clock.GetUtcNow() - _started).TotalSeconds),
            ["agentVersion"] = AgentVersion.Current,
            ["readings"] = readings,
        };
    }

    private void Show(DeviceState state, string status)
    {
        indicator.Show(state);
        notifier.Status(status);
    }

    // Monotonic: a wall clock that jumps neither silences the watchdog nor stretches a wait.
    private void Beat() => Interlocked.Exchange(ref _heartbeat, clock.GetTimestamp());

    // Waits in short steps so that the heartbeat shows the loop is alive, not stuck. Returns early,
    // without throwing, when the agent is stopped: the loop then ends as a clean stop (exit 0).
    private async Task WaitAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        while (!cancellationToken.IsCancellationRequested)
        {
            // The remaining time is read once per step: read twice, a step could come out negative
            // (the clock moves between the reads), which Task.Delay refuses with an exception.
            var step = duration - clock.GetElapsedTime(started);
            if (step <= TimeSpan.Zero)
                break;
            Beat();
            try
            {
                await Task.Delay(step > TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : step, clock, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    // WATCHDOG=1 at half the interval while the loop's heartbeat is recent: a loop stuck in a
    // call that never returns (a hung TPM, say) stops the pings and systemd restarts the agent.
    private CancellationTokenSource? StartWatchdog(CancellationToken cancellationToken)
    {
        if (notifier.WatchdogInterval is not { } interval)
            return null;
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _ = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(interval / 2, clock);
            try
            {
                while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
                {
                    var silence = clock.GetElapsedTime(Interlocked.Read(ref _heartbeat));
                    if (silence < interval)
                        notifier.Watchdog();
                }
            }
            catch (OperationCanceledException)
            {
            }
        }, CancellationToken.None);
        return stop;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "provisioning: {Reason}")]
    private partial void LogProvisioning(string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "dps: {Message}")]
    private partial void LogProgress(string message);

    [LoggerMessage(Level = LogLevel.Information, Message = "assigned to hub {Hub} as device '{DeviceId}' ({Substatus})")]
    private partial void LogAssigned(string hub, string deviceId, string substatus);

    [LoggerMessage(Level = LogLevel.Information, Message = "connected to hub {Hub} as device '{DeviceId}'")]
    private partial void LogConnected(string hub, string deviceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Message}; provisioning again in {Seconds:0} s")]
    private partial void LogHubRefused(string message, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Message} ({LikelyCause}); trying again in {Seconds:0} s")]
    private partial void LogRefused(string message, string likelyCause, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Message}; retrying in {Seconds:0} s")]
    private partial void LogTransient(string message, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Message}; provisioning from scratch")]
    private partial void LogStateUnusable(string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "re-provisioning requested")]
    private partial void LogReprovisionRequested();

    [LoggerMessage(Level = LogLevel.Warning, Message = "telemetry source {Source} failed: {Reason}")]
    private partial void LogTelemetrySourceFailed(string source, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "stopped")]
    private partial void LogStopped();
}
