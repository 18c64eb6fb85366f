using System.Globalization;
using Npgsql;

namespace DeviceAgent.TestPeers;

/// <summary>
/// A real PostgreSQL cluster (Debian's postgresql): initdb in a fresh temp dir as an unprivileged
/// user (tests run as root; PostgreSQL refuses to), one postmaster on a free 127.0.0.1 port with its
/// unix socket in the temp dir, trust authentication for the superuser <c>postgres</c>. Tests get a
/// fresh database each (<see cref="CreateDatabaseAsync"/>). Stopped and removed on disposal.
/// <see cref="Shared"/> is one cluster per test process, stopped when the process exits.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string UnprivilegedUser = "nobody";
    private static readonly Lazy<Task<PostgresServer>> s_shared = new(() => StartSharedAsync());
    private static int s_databases;

    private readonly PeerProcess _process;
    private readonly DirectoryInfo _directory;
    private readonly string _binaries;

    private PostgresServer(PeerProcess process, DirectoryInfo directory, string binaries, int port)
    {
        _process = process;
        _directory = directory;
        _binaries = binaries;
        Port = port;
    }

    /// <summary>The TCP port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The superuser's connection string to a database (no password: trust).</summary>
    public string ConnectionString(string database) => $"Host=127.0.0.1;Port={Port};Database={database};Username=postgres";

    /// <summary>One cluster for the whole test process (fsync off: tests need no durability), started on first use.</summary>
    public static Task<PostgresServer> Shared => s_shared.Value;

    /// <summary>Creates an empty database with a unique name; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "test")
    {
        var name = $"{prefix}_{Environment.ProcessId}_{Interlocked.Increment(ref s_databases)}".ToLowerInvariant();
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
#pragma warning disable CA2100 // the name is made here from a prefix, the process id and a counter
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
#pragma warning restore CA2100
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>Starts a cluster; <paramref name="durable"/> keeps fsync on (benchmarks compare it with SQLite's synchronous=FULL).</summary>
    /// <exception cref="InvalidOperationException">PostgreSQL is not installed or did not start (its output in the message).</exception>
    public static async Task<PostgresServer> StartAsync(bool durable = false)
    {
        var binaries = FindBinaries();
        var asRoot = Environment.UserName == "root";
        var directory = Directory.CreateTempSubdirectory("deviceagent-postgres.");
        try
        {
            var data = Path.Combine(directory.FullName, "data");
            if (asRoot)
                await RunCheckedAsync("chown", [UnprivilegedUser, directory.FullName]);
            await RunCheckedAsync(Wrap(asRoot, Path.Combine(binaries, "initdb")), Arguments(asRoot, Path.Combine(binaries, "initdb"),
                ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"]));
            for (var attempt = 0; ; attempt++)
            {
                var port = FreePort.Next();
                string[] settings =
                [
                    "-D", data, "-p", port.ToString(CultureInfo.InvariantCulture), "-k", directory.FullName,
                    "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200", "-c", $"fsync={(durable ? "on" : "off")}",
                    "-c", $"synchronous_commit={(durable ? "on" : "off")}", "-c", "full_page_writes=off", "-c", "shared_buffers=32MB",
                ];
                var postgres = Path.Combine(binaries, "postgres");
                var process = PeerProcess.Start(Wrap(asRoot, postgres), Arguments(asRoot, postgres, settings));
                var server = new PostgresServer(process, directory, binaries, port);
                try
                {
                    await FreePort.WaitUntilListeningAsync(port, TimeSpan.FromSeconds(30), () => process.Output);
                    await server.WaitUntilReadyAsync();
                    return server;
                }
                catch (TimeoutException e)
                {
                    var output = process.Output;
                    var exited = process.HasExited;
                    await process.DisposeAsync();
                    if (exited && attempt < 3 && output.Contains("in use", StringComparison.OrdinalIgnoreCase))
                        continue;
                    throw new InvalidOperationException($"PostgreSQL did not start on 127.0.0.1:{port}: {output}", e);
                }
            }
        }
        catch
        {
            directory.Delete(recursive: true);
            throw;
        }
    }

    /// <summary>Stops it (immediate shutdown: nothing here needs to survive) and removes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            var asRoot = Environment.UserName == "root";
            var pgCtl = Path.Combine(_binaries, "pg_ctl");
            await ExternalProcess.RunAsync(Wrap(asRoot, pgCtl), Arguments(asRoot, pgCtl, ["stop", "-D", Path.Combine(_directory.FullName, "data"), "-m", "immediate", "-w"]),
                timeout: TimeSpan.FromSeconds(30));
        }
        await _process.DisposeAsync();
        _directory.Delete(recursive: true);
    }

    private async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
                await connection.OpenAsync();
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.CannotConnectNow && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    // At exit there is no time for pg_ctl: the postmaster and its backends are killed, the directory removed.
    // A run killed before that leaves its directory; the next run removes it (ReapStale).
    private static async Task<PostgresServer> StartSharedAsync()
    {
        ReapStale();
        var server = await StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            server._process.DisposeAsync().AsTask().GetAwaiter().GetResult();
            server._directory.Delete(recursive: true);
        };
        return server;
    }

    // Directories of earlier runs whose postmaster is gone (or that never got one, after 10 minutes).
    private static void ReapStale()
    {
        foreach (var directory in new DirectoryInfo(Path.GetTempPath()).EnumerateDirectories("deviceagent-postgres.*"))
        {
            var pidFile = Path.Combine(directory.FullName, "data", "postmaster.pid");
            var alive = File.Exists(pidFile)
                ? int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), CultureInfo.InvariantCulture, out var pid) && Directory.Exists($"/proc/{pid}")
                : directory.CreationTimeUtc > DateTime.UtcNow.AddMinutes(-10);
            if (alive)
                continue;
            try
            {
                directory.Delete(recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // another run is removing it, or it is not ours to remove
            }
        }
    }

    private static string FindBinaries()
    {
        var versions = Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql") : [];
        var found = versions.Select(v => Path.Combine(v, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb")))
            .OrderByDescending(b => int.TryParse(Path.GetFileName(Path.GetDirectoryName(b)), out var v) ? v : 0).FirstOrDefault();
        return found ?? throw new InvalidOperationException(
            "the test peer PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); run './build.sh deps' as root, or: sudo apt-get install -y postgresql");
    }

    // As root, PostgreSQL's programs run as an unprivileged user (postgres refuses root).
    private static string Wrap(bool asRoot, string program) => asRoot ? ExternalProcess.Require("runuser", "util-linux") : program;

    private static IEnumerable<string> Arguments(bool asRoot, string program, IEnumerable<string> arguments) =>
        asRoot ? ["-u", UnprivilegedUser, "--", program, .. arguments] : arguments;

    private static async Task RunCheckedAsync(string program, IEnumerable<string> arguments)
    {
        var result = await ExternalProcess.RunAsync(program, arguments, timeout: TimeSpan.FromSeconds(120));
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed: {result.Transcript}");
    }
}
