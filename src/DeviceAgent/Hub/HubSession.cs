using System.Globalization;
using System.Text.Json;
using DeviceAgent.Pki.Tls;
using DeviceAgent.Provisioning.Transport;
using DeviceAgent.State;
using MQTTnet.Exceptions;

namespace DeviceAgent.Hub;

/// <summary>
/// The device's MQTT/TLS connection to its assigned hub: client id = device id, user name
/// <c>{hub}/{deviceId}/?api-version=2021-04-12</c>, the same key and full chain as for DPS.
/// Telemetry is QoS 1 (the hub acknowledges it). MQTTnet's client over our mutual-TLS stream
/// (<see cref="MqttSession"/>). Not thread-safe for sends. Certificate issuance: HubSession.Credentials.cs.
/// </summary>
public sealed partial class HubSession : IAsyncDisposable
{
    private const string ApiVersion = "2021-04-12";
    private static readonly TimeSpan s_connectTimeout = TimeSpan.FromSeconds(30); // MqttSessionOptions.ConnectTimeout's default
    private readonly string _telemetryTopic;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _sending = new(1, 1);
    private MqttSession _session;
    private MqttSession? _retiring;

    private HubSession(MqttSession session, string hub, string deviceId)
    {
        _session = session;
        Hub = hub;
        DeviceId = deviceId;
        _telemetryTopic = $"devices/{Uri.EscapeDataString(deviceId)}/messages/events/$.ct=application%2Fjson&$.ce=utf-8";
        Watch(session);
    }

    /// <summary>The hub (host or host:port).</summary>
    public string Hub { get; }

    /// <summary>The device id.</summary>
    public string DeviceId { get; }

    /// <summary>Completes when the connection ends (faulted when lost or closed by the hub); a SAS renewal's reconnection does not end it.</summary>
    public Task Completion => _completion.Task;

    /// <summary>Connects to the hub in the state.</summary>
    /// <exception cref="HubRefusedException">The hub refused the device (disabled, deleted, other certificate): provision again.</exception>
    /// <exception cref="TlsConnectionException">TCP or TLS failed.</exception>
    /// <exception cref="MqttCommunicationException">The MQTT connection failed.</exception>
    public static async Task<HubSession> ConnectAsync(AgentState state, TlsClientIdentity identity, TlsServerTrust trust, TimeSpan keepAlive,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(identity);
        var session = await ConnectMqttAsync(state, identity, trust, keepAlive, null, cancellationToken).ConfigureAwait(false);
        return new HubSession(session, state.AssignedHub, state.DeviceId);
    }

    private static async Task<MqttSession> ConnectMqttAsync(AgentState state, TlsClientIdentity? identity, TlsServerTrust trust, TimeSpan keepAlive,
        byte[]? password, CancellationToken cancellationToken)
    {
        var (host, port) = DpsTransport.ParseEndpoint(state.AssignedHub);
        var connectTimeout = keepAlive < s_connectTimeout ? keepAlive : s_connectTimeout;
        try
        {
            return await MqttSession.ConnectAsync(
                async ct => await MutualTlsConnector.ConnectAsync(host, port, identity, trust, ct).ConfigureAwait(false),
                new MqttSessionOptions
                {
                    ClientId = state.DeviceId,
                    UserName = $"{state.AssignedHub}/{state.DeviceId}/?api-version={ApiVersion}&DeviceClientType={Uri.EscapeDataString("deviceagent/" + AgentVersion.Current)}",
                    Password = password,
                    KeepAlive = keepAlive,
                    // TCP, TLS and CONNACK as patient as the keep-alive (at most the default 30 s): a hub
                    // behind a half-open link is given up on as fast as a silent connected one.
                    ConnectTimeout = connectTimeout,
                }, cancellationToken).ConfigureAwait(false);
        }
        catch (MqttCommunicationTimedOutException e)
        {
            throw new MqttCommunicationException(
                $"hub {state.AssignedHub} did not complete TLS and MQTT CONNECT within {connectTimeout.TotalSeconds:0} s: the link is silent (half-open, or the hub reads nothing)", e);
        }
        catch (MqttConnectionRefusedException e) when (e.ResultCode is MQTTnet.MqttClientConnectResultCode.NotAuthorized
            or MQTTnet.MqttClientConnectResultCode.BadUserNameOrPassword or MQTTnet.MqttClientConnectResultCode.ClientIdentifierNotValid)
        {
            throw new HubRefusedException($"hub {state.AssignedHub} refused device '{state.DeviceId}': {e.Message}", e);
        }
    }

    // Completion follows the current connection; one being replaced (SAS renewal) ends silently.
    private void Watch(MqttSession session) =>
        session.Completion.ContinueWith(ended =>
        {
            if (!ReferenceEquals(session, Volatile.Read(ref _session)) || ReferenceEquals(session, Volatile.Read(ref _retiring)))
                return;
            if (ended.Exception is { } fault)
                _completion.TrySetException(fault.InnerExceptions);
            else
                _completion.TrySetResult();
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    /// <summary>Sends one telemetry message and waits for the hub's acknowledgement.</summary>
    /// <exception cref="MqttCommunicationException">The connection is lost or the hub did not acknowledge.</exception>
    public async Task SendTelemetryAsync(IReadOnlyDictionary<string, object> body, CancellationToken cancellationToken)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(body, TelemetryJsonContext.Default.IReadOnlyDictionaryStringObject);
        await _sending.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _session.PublishAsync(_telemetryTopic, payload, cancellationToken).ConfigureAwait(false);
        }
        catch (MqttCommunicationTimedOutException e)
        {
            throw new MqttCommunicationException(
                $"hub {Hub} did not acknowledge telemetry within half the keep-alive: the connection is silent (half-open, or the hub stopped reading)", e);
        }
        catch (MqttCommunicationException e) when (!cancellationToken.IsCancellationRequested)
        {
            // MQTTnet says only "disconnected"; why the connection ended is in the session's completion.
            var session = _session.Completion;
            if (await Task.WhenAny(session, Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None)).ConfigureAwait(false) == session && session.Exception?.InnerException is { } why)
                throw new MqttCommunicationException($"hub {Hub}: telemetry not acknowledged: {why.Message}", e);
            throw;
        }
        finally
        {
            _sending.Release();
        }
    }

    /// <summary>Disconnects cleanly.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopRenewalAsync().ConfigureAwait(false);
        await Volatile.Read(ref _session).DisposeAsync().ConfigureAwait(false);
        _completion.TrySetResult();
        _sending.Dispose();
    }
}

/// <summary>The hub refused the device: its registry entry is disabled, deleted, or bound to another certificate.</summary>
public sealed class HubRefusedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public HubRefusedException() : base("the hub refused the device") { }

    /// <summary>Creates the exception.</summary>
    public HubRefusedException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public HubRefusedException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>The agent's version, as telemetry and the hub user name report it.</summary>
public static class AgentVersion
{
    /// <summary>The informational version of the deviceagent assembly.</summary>
    public static string Current { get; } =
        typeof(AgentVersion).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    /// <summary>Formats seconds without a decimal comma anywhere.</summary>
    internal static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0", CultureInfo.InvariantCulture);
}

[System.Text.Json.Serialization.JsonSerializable(typeof(IReadOnlyDictionary<string, object>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, double>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(double))]
[System.Text.Json.Serialization.JsonSerializable(typeof(long))]
[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class TelemetryJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
