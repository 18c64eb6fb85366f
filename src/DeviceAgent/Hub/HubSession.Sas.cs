using DeviceAgent.Pki.Tls;
using DeviceAgent.Provisioning.Transport;
using DeviceAgent.State;
using MQTTnet.Exceptions;

namespace DeviceAgent.Hub;

// A TPM-attested device: TLS without a client certificate, a SAS token as the MQTT password, and a
// fresh token (a new connection) before the current one expires.
public sealed partial class HubSession
{
    private CancellationTokenSource? _renewal;
    private Task? _renewing;

    /// <summary>
    /// Connects with a SAS token from <paramref name="token"/> (given the expiry, it returns the token:
    /// signed in the TPM) valid for <paramref name="lifetime"/>, and reconnects with a fresh one at
    /// 80 % of it. A failed renewal ends the session (<see cref="Completion"/> faults) so that the
    /// runtime reconnects as after any loss.
    /// </summary>
    /// <exception cref="HubRefusedException">The hub refused the token (another key, device disabled or deleted): provision again.</exception>
    /// <exception cref="TlsConnectionException">TCP or TLS failed.</exception>
    /// <exception cref="MqttCommunicationException">The MQTT connection failed.</exception>
    public static async Task<HubSession> ConnectWithSasAsync(AgentState state, Func<DateTimeOffset, string> token, TimeSpan lifetime, TlsServerTrust trust,
        TimeSpan keepAlive, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(clock);
        Task<MqttSession> Connect(CancellationToken ct) =>
            ConnectMqttAsync(state, null, trust, keepAlive, System.Text.Encoding.UTF8.GetBytes(token(clock.GetUtcNow() + lifetime)), ct);
        var hub = new HubSession(await Connect(cancellationToken).ConfigureAwait(false), state.AssignedHub, state.DeviceId);
        hub._renewal = new CancellationTokenSource();
        hub._renewing = hub.RenewAsync(Connect, lifetime * 0.8, clock, hub._renewal.Token);
        return hub;
    }

    /// <summary>Raised after each reconnection with a fresh SAS token.</summary>
    public event Action? TokenRenewed;

    private async Task RenewAsync(Func<CancellationToken, Task<MqttSession>> connect, TimeSpan every, TimeProvider clock, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(every, clock, cancellationToken).ConfigureAwait(false);
                await _sending.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    var old = Volatile.Read(ref _session);
                    Volatile.Write(ref _retiring, old);
                    // The hub keeps one connection per device id: the new one replaces the old.
                    var fresh = await connect(cancellationToken).ConfigureAwait(false);
                    Volatile.Write(ref _session, fresh);
                    Watch(fresh);
                    await old.DisposeAsync().ConfigureAwait(false);
                }
                finally
                {
                    _sending.Release();
                }
                TokenRenewed?.Invoke();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            _completion.TrySetException(new MqttCommunicationException($"renewing the hub SAS token failed: {e.Message}", e));
        }
    }

    private async Task StopRenewalAsync()
    {
        if (_renewal is null)
            return;
        await _renewal.CancelAsync().ConfigureAwait(false);
        if (_renewing is not null)
            await _renewing.ConfigureAwait(false);
        _renewal.Dispose();
    }
}
