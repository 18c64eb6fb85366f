using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace DeviceAgent.Systemd;

/// <summary>
/// The sd_notify protocol (systemd.exec, sd_notify(3)): datagrams like <c>READY=1</c>,
/// <c>STATUS=...</c>, <c>WATCHDOG=1</c>, <c>STOPPING=1</c> to the unix socket in
/// <c>$NOTIFY_SOCKET</c> (a leading <c>@</c> means the abstract namespace). Does nothing when the
/// variable is unset (not run by systemd). Thread-safe; never throws for a lost datagram.
/// </summary>
public sealed class SystemdNotifier : IDisposable
{
    private readonly Socket? _socket;
    private readonly UnixDomainSocketEndPoint? _endpoint;
    private readonly Lock _gate = new();

    /// <summary>Reads NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID from the environment.</summary>
    public SystemdNotifier(IReadOnlyDictionary<string, string?>? environment = null)
    {
        string? Get(string name) => environment is null ? Environment.GetEnvironmentVariable(name) : environment.GetValueOrDefault(name);
        var path = Get("NOTIFY_SOCKET");
        if (string.IsNullOrEmpty(path))
            return;
        _endpoint = new UnixDomainSocketEndPoint(path[0] == '@' ? "\0" + path[1..] : path);
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        if (long.TryParse(Get("WATCHDOG_USEC"), NumberStyles.None, CultureInfo.InvariantCulture, out var usec) && usec > 0 &&
            (Get("WATCHDOG_PID") is not { } pid || pid == Environment.ProcessId.ToString(CultureInfo.InvariantCulture)))
            WatchdogInterval = TimeSpan.FromTicks(usec * 10);
    }

    /// <summary>True when running under systemd with a notify socket.</summary>
    public bool IsEnabled => _socket is not null;

    /// <summary>The watchdog timeout systemd enforces (WatchdogSec=), or null when there is none.</summary>
    public TimeSpan? WatchdogInterval { get; }

    /// <summary>Startup finished (Type=notify).</summary>
    public void Ready(string status) => Send($"READY=1\nSTATUS={status}");

    /// <summary>A one-line status for <c>systemctl status</c>.</summary>
    public void Status(string status) => Send($"STATUS={status}");

    /// <summary>Still alive (WatchdogSec=).</summary>
    public void Watchdog() => Send("WATCHDOG=1");

    /// <summary>Shutting down.</summary>
    public void Stopping() => Send("STOPPING=1\nSTATUS=stopping");

    private void Send(string message)
    {
        if (_socket is null)
            return;
        lock (_gate)
        {
            try
            {
                _socket.SendTo(Encoding.UTF8.GetBytes(message.Replace("\r", "", StringComparison.Ordinal)), _endpoint!);
            }
            catch (SocketException)
            {
                // systemd went away or the socket is gone: nothing to tell it.
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _socket?.Dispose();
}
