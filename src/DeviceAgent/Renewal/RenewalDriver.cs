using DeviceAgent.Configuration;
using DeviceAgent.Hub;
using DeviceAgent.Identity;
using DeviceAgent.Keys;
using DeviceAgent.Pki.Tls;
using DeviceAgent.State;
using Microsoft.Extensions.Logging;
using MQTTnet.Exceptions;

namespace DeviceAgent.Renewal;

/// <summary>
/// Renewal inside the daemon: <see cref="PollAsync"/> is called whenever <see cref="NextLookAsync"/>
/// completes (a monotonic timer of its own, independent of telemetry). When
/// the schedule says so it starts the issuance in the background over the current hub connection
/// (telemetry goes on meanwhile); when the candidate is ready it connects with the new identity, and
/// only after that connection succeeds commits and hands the new connection over. Failures roll back
/// and wait <see cref="RenewalBackoff"/>, measured on the monotonic clock so that a wall clock that
/// jumps neither shortens nor lengthens it; whether a renewal is due is the wall clock's question
/// (<see cref="RenewalSchedule"/>: a renewed leaf has a later point, so no renewal repeats), looked at
/// at least every <see cref="RenewalSettings.ClockCheckInterval"/>, so a jump forward past the point
/// renews within it. Not thread-safe: the daemon's loop owns it.
/// </summary>
public sealed partial class RenewalDriver(AgentConfiguration configuration, CertificateRenewal renewal, StateStore store, TimeProvider clock, ILogger logger)
{
    private Task<RenewalCandidate>? _issuing;
    private long _failedAt;
    private TimeSpan _wait;
    private int _failures;
    private string? _failedFor;
    private DateTimeOffset? _retiredKeyDue;

    /// <summary>
    /// Finishes or undoes a renewal a crash interrupted (see <see cref="PendingRenewal"/>): with its chain stored,
    /// the new identity is tried against the hub and committed when it connects (returned: use it from now
    /// on); otherwise the new key is destroyed. Null when nothing was pending or the renewal was undone.
    /// </summary>
    public async Task<DeviceIdentity?> RecoverAsync(DeviceIdentity current, TlsServerTrust hubTrust, TimeSpan keepAlive, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (Load() is not { PendingRenewal: { } pending } state)
            return null;
        if (pending.Chain is null)
        {
            LogRecovered("undone (no certificate was stored)", pending.Key);
            renewal.RollBack(current.Backends, state);
            return null;
        }
        DeviceIdentity? identity = null;
        try
        {
            identity = DeviceIdentity.Open(CurrentCredential.Settings(configuration, state).WithCredential(pending.Key, pending.Chain), current.Backends);
            var candidate = new RenewalCandidate(identity, state);
            await using (await HubSession.ConnectAsync(candidate.Assignment, identity.Tls, hubTrust, keepAlive, cancellationToken).ConfigureAwait(false))
            {
            }
            renewal.Commit(current.Backends, state);
            LogRecovered("committed (the new identity connected)", pending.Key);
            return identity;
        }
        catch (Exception e) when (e is IdentityException or HubRefusedException or TlsConnectionException or MqttCommunicationException or IOException or TimeoutException)
        {
            identity?.Dispose();
            LogRecovered($"undone ({e.Message})", pending.Key);
            renewal.RollBack(current.Backends, Load() ?? state);
            return null;
        }
    }

    /// <summary>
    /// One renewal now, whatever the schedule (<c>deviceagent renew --now</c>): over the hub when it accepts
    /// a connection with the current identity, else by DPS re-registration; then the new identity connects
    /// and the renewal is committed. Returns the new identity and the path it was issued over.
    /// </summary>
    /// <exception cref="RenewalException">The renewal failed and was rolled back: the current identity stays.</exception>
    public async Task<(DeviceIdentity Identity, string IssuedOver)> RenewNowAsync(DeviceIdentity current, TlsServerTrust hubTrust, TimeSpan keepAlive,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        var state = Load() ?? throw new RenewalException("the device is not provisioned (no state): run 'deviceagent provision' first");
        state = renewal.DestroyRetiredKeyIfDue(current.Backends, state);
        RenewalCandidate candidate;
        HubSession? hub = null;
        try
        {
            hub = await HubSession.ConnectAsync(state, current.Tls, hubTrust, keepAlive, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HubRefusedException or TlsConnectionException or MqttCommunicationException or IOException or TimeoutException)
        {
            LogHubUnavailable(e.Message);
        }
        if (hub is not null)
        {
            await using (hub.ConfigureAwait(false))
                candidate = await renewal.IssueAsync(current, state, hub, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            candidate = await renewal.IssueAsync(current, state, null, cancellationToken).ConfigureAwait(false);
        }
        if (candidate.HubDeclined is { } declined)
            LogHubDeclined(declined);
        return (await ConnectAndCommitAsync(candidate, current.Backends, candidate.IssuedOver, hubTrust, keepAlive, cancellationToken).ConfigureAwait(false),
            candidate.IssuedOver);
    }

    // The commit comes only after the new identity connected; a failed connection rolls back.
    private async Task<DeviceIdentity> ConnectAndCommitAsync(RenewalCandidate candidate, AgentKeyBackends backends, string issuedOver, TlsServerTrust hubTrust,
        TimeSpan keepAlive, CancellationToken cancellationToken)
    {
        try
        {
            await using (await HubSession.ConnectAsync(candidate.Assignment, candidate.Identity.Tls, hubTrust, keepAlive, cancellationToken).ConfigureAwait(false))
            {
            }
        }
        catch (Exception e) when (e is HubRefusedException or TlsConnectionException or MqttCommunicationException or IOException or TimeoutException)
        {
            candidate.Identity.Dispose();
            renewal.RollBack(backends, candidate.State);
            throw new RenewalException($"the new certificate was issued over {issuedOver}, but the new identity could not connect to hub {candidate.Assignment.AssignedHub}: {e.Message}; rolled back", e);
        }
        renewal.Commit(backends, candidate.State);
        return candidate.Identity;
    }

    /// <summary>
    /// An expired renewed leaf cannot renew itself (neither DPS nor the hub accept it). When
    /// <see cref="CurrentCredential.Open"/> fell back to the onboarding credential
    /// (<see cref="RenewalSettings.KeepOnboardingCredential"/>), the device re-registers with it asking DPS for a
    /// fresh leaf for a new key (the whole renewal, DPS path), and the new identity is returned. Null when
    /// <paramref name="current"/> is not such a fallback.
    /// </summary>
    /// <exception cref="IdentityException">The re-registration failed (the agent stops; systemd starts it again).</exception>
    public async Task<DeviceIdentity?> ReRegisterIfFallenBackAsync(DeviceIdentity current, TlsServerTrust hubTrust, TimeSpan keepAlive, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        var state = Load();
        if (state is null || !CurrentCredential.IsFallback(state, current))
            return null;
        LogReRegistering(state.CertificateThumbprint, current.Thumbprint);
        try
        {
            var candidate = await renewal.IssueAsync(current, state, null, cancellationToken).ConfigureAwait(false);
            return await ConnectAndCommitAsync(candidate, current.Backends, "dps", hubTrust, keepAlive, cancellationToken).ConfigureAwait(false);
        }
        catch (RenewalException e)
        {
            throw new IdentityException($"the renewed certificate {state.CertificateThumbprint} cannot be used, and re-registration with the onboarding credential failed: {e.Message}", e);
        }
    }

    /// <summary>
    /// One look: retires the old key when its grace period is over, starts a due renewal, or switches
    /// to a finished one. Returns the new connection and identity after a committed renewal (the caller
    /// disposes the old ones), else null.
    /// </summary>
    public async Task<(HubSession Hub, DeviceIdentity Identity)?> PollAsync(HubSession hub, DeviceIdentity identity, TlsServerTrust hubTrust, TimeSpan keepAlive,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(identity);
        if (!configuration.Renewal.Enabled)
            return null;
        if (_issuing is null)
        {
            if (Load() is not { } state)
                return null;
            try
            {
                state = renewal.DestroyRetiredKeyIfDue(identity.Backends, state);
            }
            catch (KeyCustodyException e)
            {
                LogRetireFailed(state.RetiredKey?.Key ?? "", e.Message);
            }
            _retiredKeyDue = state.RetiredKey?.DestroyAfterUtc;
            if (!IsDue(identity))
                return null;
            var notAfter = identity.Leaf.NotAfter.ToUniversalTime();
            LogStarting(identity.Thumbprint, notAfter);
            _issuing = Task.Run(() => renewal.IssueAsync(identity, state, hub, cancellationToken), CancellationToken.None);
            return null;
        }
        if (!_issuing.IsCompleted)
            return null;
        var issuing = _issuing;
        _issuing = null;
        RenewalCandidate candidate;
        try
        {
            candidate = await issuing.ConfigureAwait(false);
        }
        catch (Exception e) when (e is RenewalException or IdentityException or KeyCustodyException or IOException)
        {
            Failed(identity, e.Message);
            return null;
        }
        if (candidate.HubDeclined is { } declined)
            LogHubDeclined(declined);
        // The old connection stays up until the new identity has connected.
        try
        {
            var connected = await HubSession.ConnectAsync(candidate.Assignment, candidate.Identity.Tls, hubTrust, keepAlive, cancellationToken).ConfigureAwait(false);
            try
            {
                _retiredKeyDue = renewal.Commit(identity.Backends, candidate.State).RetiredKey?.DestroyAfterUtc; // the next look is then at the latest
            }
            catch (IOException e)
            {
                // Connected but not committed: the state still names the renewal as pending, and the next start commits it.
                await connected.DisposeAsync().ConfigureAwait(false);
                candidate.Identity.Dispose();
                Failed(identity, $"the new identity connected, but the state could not be written ({e.Message}); the next start commits it");
                return null;
            }
            _failures = 0;
            _failedFor = null;
            var notAfter = candidate.Identity.Leaf.NotAfter.ToUniversalTime();
            LogCommitted(identity.Thumbprint, candidate.Identity.Thumbprint, notAfter);
            return (connected, candidate.Identity);
        }
        catch (Exception e) when (e is HubRefusedException or TlsConnectionException or MqttCommunicationException or IOException or TimeoutException)
        {
            candidate.Identity.Dispose();
            renewal.RollBack(identity.Backends, candidate.State);
            Failed(identity, $"the new identity could not connect: {e.Message}");
            return null;
        }
    }

    /// <summary>
    /// Completes when <see cref="PollAsync"/> should look again: when the background issuance finished, or
    /// after <see cref="NextLook"/> on the monotonic clock. Faults only with <see cref="OperationCanceledException"/>.
    /// </summary>
    public Task NextLookAsync(DeviceIdentity identity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (_issuing is { } issuing)
            return issuing.ContinueWith(static _ => { }, cancellationToken, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return Task.Delay(NextLook(identity), clock, cancellationToken);
    }

    /// <summary>
    /// How long until the next look (no issuance running): until the renewal point, the end of a failure's
    /// backoff, or the retired key's destruction, whichever is first; never longer than
    /// <see cref="RenewalSettings.ClockCheckInterval"/> (so a jump of the wall clock is seen within it), never
    /// shorter than a tenth of a second.
    /// </summary>
    public TimeSpan NextLook(DeviceIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var settings = configuration.Renewal;
        var ceiling = settings.ClockCheckInterval;
        if (!settings.Enabled)
            return ceiling;
        var now = clock.GetUtcNow();
        var wait = RenewalSchedule.For(identity.Leaf, settings).SleepBefore(now, ceiling);
        if (_failedFor == identity.Thumbprint)
        {
            var backoff = _wait - clock.GetElapsedTime(_failedAt);
            if (backoff > wait)
                wait = backoff < ceiling ? backoff : ceiling;
        }
        if (_retiredKeyDue is { } due && due - now < wait)
            wait = due - now;
        var floor = TimeSpan.FromMilliseconds(100);
        return wait < floor ? floor : wait;
    }

    private bool IsDue(DeviceIdentity identity)
    {
        var schedule = RenewalSchedule.For(identity.Leaf, configuration.Renewal);
        if (schedule.DueAt(clock.GetUtcNow()) == RenewalDue.NotYet)
            return false;
        return _failedFor != identity.Thumbprint || clock.GetElapsedTime(_failedAt) >= _wait;
    }

    private void Failed(DeviceIdentity identity, string reason)
    {
        var schedule = RenewalSchedule.For(identity.Leaf, configuration.Renewal);
        _failures = _failedFor == identity.Thumbprint ? _failures + 1 : 1;
        _failedFor = identity.Thumbprint;
        _failedAt = clock.GetTimestamp();
        _wait = new RenewalBackoff(schedule, configuration.Renewal).After(_failures, clock.GetUtcNow());
        LogFailed(reason, _wait.TotalSeconds);
    }

    private AgentState? Load()
    {
        try
        {
            return store.Load();
        }
        catch (StateException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "renewing the certificate {Thumbprint} (valid until {NotAfter:u}) with a new key")]
    private partial void LogStarting(string thumbprint, DateTime notAfter);

    [LoggerMessage(Level = LogLevel.Information, Message = "renewed: certificate {Old} replaced by {New} (valid until {NotAfter:u}); connected with it")]
    private partial void LogCommitted(string old, string @new, DateTime notAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "renewal failed, keeping the current identity: {Reason}; retrying in {Seconds:0} s")]
    private partial void LogFailed(string reason, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "the interrupted renewal to {Key} was {Outcome}")]
    private partial void LogRecovered(string outcome, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "the renewed certificate {Expired} cannot be used: re-registering with the onboarding certificate {Onboarding} for a fresh one")]
    private partial void LogReRegistering(string expired, string onboarding);

    [LoggerMessage(Level = LogLevel.Information, Message = "the hub does not accept the current identity ({Reason}): renewing by DPS re-registration")]
    private partial void LogHubUnavailable(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "the hub did not issue the certificate ({Reason}): issued by DPS re-registration with the same request instead")]
    private partial void LogHubDeclined(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "the retired key {Key} could not be destroyed yet: {Reason}")]
    private partial void LogRetireFailed(string key, string reason);
}
