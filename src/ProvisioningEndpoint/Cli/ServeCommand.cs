using System.CommandLine;
using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using ProvisioningEndpoint.Hosting;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Setup;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Cli;

/// <summary><c>provisioning-endpoint serve</c>: initialise the data directory on first start, then serve until SIGTERM/Ctrl-C.</summary>
internal static class ServeCommand
{
    private static readonly Option<string> s_dataDir = new("--data-dir") { Description = "the data directory (store, TLS, keys)", Required = true };
    private static readonly Option<string?> s_hostName = new("--host-name") { Description = "host name devices and clients use (first start: also in the TLS certificate)" };
    private static readonly Option<int?> s_devicePort = new("--device-port") { Description = "DPS device endpoint MQTT/TLS port (default 8883)" };
    private static readonly Option<int?> s_deviceHttpsPort = new("--device-https-port") { Description = "DPS device endpoint HTTPS port (TPM attestation; default 8445; 0 = not served)" };
    private static readonly Option<int?> s_restPort = new("--rest-port") { Description = "REST API HTTPS port (default 8443)" };
    private static readonly Option<string[]> s_hubs = new("--hub") { Description = "a hub as NAME=HOST:MQTTPORT[:REGISTRYPORT] (the registry's HTTPS port for IoT Hub service clients); repeat for several (replaces the configured hubs)", AllowMultipleArgumentsPerToken = false };
    private static readonly Option<int?> s_retryAfter = new("--retry-after") { Description = "retry-after seconds of 202 responses (DPS: 3)" };
    private static readonly Option<bool?> s_throttle = new("--throttle-polls") { Description = "enforce DPS's 5 polls per 10 s per device (default true)" };
    private static readonly Option<string[]> s_serverNames = new("--server-name") { Description = "extra names/addresses for the TLS certificate (first start only)" };
    private static readonly Option<string?> s_listen = new("--listen") { Description = "the IP address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)" };
    private static readonly Option<int?> s_deviceListenPort = new("--device-listen-port") { Description = "the port this instance binds for the DPS device endpoint when clients use another (--device-port, the load balancer's); default --device-port" };
    private static readonly Option<int?> s_restListenPort = new("--rest-listen-port") { Description = "the port this instance binds for the REST API when clients use another (--rest-port, in the connection string); default --rest-port" };
    private static readonly Option<string[]> s_hubPorts = new("--hub-listen-port") { Description = "NAME=PORT: the port this instance binds for hub NAME's MQTT/TLS when devices are told another (the load balancer's); repeat per hub" };
    private static readonly Option<string?> s_store = new("--store") { Description = "an external PostgreSQL store, as an Npgsql connection string \"Host=...;Port=...;Database=...;Username=...\" (no password: --store-password-file or PGPASSWORD); default the SQLite file in the data directory" };
    private static readonly Option<string?> s_storePasswordFile = new("--store-password-file") { Description = "a file holding the store's password (mode 0600); else the systemd credential 'store-password', else PGPASSWORD, else none (trust/peer authentication)" };
    private static readonly Option<bool> s_jsonLogs = new("--json-logs") { Description = "structured JSON logs" };

    public static Command Build()
    {
        var command = new Command("serve", "serve devices (DPS over MQTT/TLS), hubs, and the REST API. Exit codes: 0 stopped cleanly, 1 failed, 2 bad options.")
        {
            s_dataDir, s_hostName, s_devicePort, s_deviceHttpsPort, s_restPort, s_hubs, s_retryAfter, s_throttle, s_serverNames, s_listen, s_deviceListenPort, s_restListenPort, s_hubPorts, s_store, s_storePasswordFile, s_jsonLogs,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var data = new EndpointDataDirectory(parse.GetValue(s_dataDir)!);
        EndpointConfiguration configuration;
        try
        {
            configuration = File.Exists(data.ConfigurationFile) ? data.LoadConfiguration() : new EndpointConfiguration();
            Apply(parse, configuration, firstStart: !File.Exists(data.ConfigurationFile));
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"provisioning-endpoint: {e.Message}").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }

        var createdOwnerKey = data.Initialize(configuration);
        configuration.IdScope = data.LoadConfiguration().IdScope;
        configuration.Save(data.ConfigurationFile);

        IProvisioningStore store;
        try
        {
            store = await EndpointStore.OpenAsync(data, configuration, cancellationToken).ConfigureAwait(false);
            if (store is ISharedSettings shared && await SharedDataDirectory.SynchronizeAsync(data, shared, cancellationToken).ConfigureAwait(false))
                await Console.Out.WriteLineAsync($"joined the endpoints of store {configuration.Store}: adopted their ID scope, keys and TLS certificate").ConfigureAwait(false);
        }
        catch (Exception e) when (e is EndpointStoreException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"provisioning-endpoint: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Failed;
        }
        configuration = data.LoadConfiguration();
        if (createdOwnerKey)
            await ShowFirstStartAsync(data, configuration).ConfigureAwait(false);

        try
        {
            await using var app = await EndpointApplication.BuildAsync(data, parse.GetValue(s_jsonLogs), cancellationToken, store: store).ConfigureAwait(false);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        }
        catch (Exception e) when (e is IOException or SocketException || e.InnerException is SocketException)
        {
            await Console.Error.WriteLineAsync($"provisioning-endpoint: cannot serve: {e.Message}; is another process using the ports?").ConfigureAwait(false);
            return ExitCodes.Failed;
        }
    }

    private static async Task ShowFirstStartAsync(EndpointDataDirectory data, EndpointConfiguration configuration)
    {
        // The key lives in owner.key (mode 0600). It is shown once, to the operator at a
        // terminal; when stdout goes elsewhere (a service's stdout reaches the journal, readable
        // by more people than the data directory) only where to read it is printed.
        if (!Console.IsOutputRedirected)
        {
            await Console.Out.WriteLineAsync($"first start: ID scope {configuration.IdScope}; owner connection string (keep it secret, shown once):").ConfigureAwait(false);
            await Console.Out.WriteLineAsync("  " + data.OwnerConnectionString(configuration)).ConfigureAwait(false);
        }
        else
        {
            await Console.Out.WriteLineAsync($"first start: ID scope {configuration.IdScope}; the owner connection string is in {data.Path}").ConfigureAwait(false);
            await Console.Out.WriteLineAsync($"  read it with: provisioning-endpoint info --data-dir {data.Path} (keep it secret)").ConfigureAwait(false);
        }
        await Console.Out.WriteLineAsync($"  clients must trust {data.ServerCaCertificateFile}").ConfigureAwait(false);
    }

    private static void Apply(ParseResult parse, EndpointConfiguration configuration, bool firstStart)
    {
        if (parse.GetValue(s_hostName) is { } host)
            configuration.HostName = host;
        if (parse.GetValue(s_devicePort) is { } devicePort)
            configuration.DevicePort = Port(devicePort, "--device-port");
        if (parse.GetValue(s_deviceHttpsPort) is { } deviceHttpsPort)
            configuration.DeviceHttpsPort = deviceHttpsPort == 0 ? 0 : Port(deviceHttpsPort, "--device-https-port");
        if (parse.GetValue(s_restPort) is { } restPort)
            configuration.RestPort = Port(restPort, "--rest-port");
        if (parse.GetValue(s_hubs) is { Length: > 0 } hubs)
            configuration.Hubs = [.. hubs.Select(ParseHub)];
        if (parse.GetValue(s_retryAfter) is { } retryAfter)
            configuration.RetryAfterSeconds = retryAfter is >= 0 and <= 3600 ? retryAfter : throw new FormatException("--retry-after must be 0..3600 seconds");
        if (parse.GetValue(s_throttle) is { } throttle)
            configuration.ThrottlePolls = throttle;
        if (parse.GetValue(s_listen) is { } listen)
            configuration.ListenAddress = System.Net.IPAddress.TryParse(listen, out _) ? listen : throw new FormatException($"--listen '{listen}' is not an IP address (e.g. 127.0.0.1, 0.0.0.0, ::)");
        if (parse.GetValue(s_deviceListenPort) is { } deviceListenPort)
            configuration.DeviceListenPort = Port(deviceListenPort, "--device-listen-port");
        if (parse.GetValue(s_restListenPort) is { } restListenPort)
            configuration.RestListenPort = Port(restListenPort, "--rest-listen-port");
        if (parse.GetValue(s_hubPorts) is { Length: > 0 } hubPorts)
            configuration.Hubs = [.. configuration.Hubs.Select(h => h with { ListenPort = HubPort(hubPorts, h.Name) ?? h.ListenPort })];
        if (parse.GetValue(s_store) is { } store)
            configuration.Store = EndpointStore.CheckConnectionString(store);
        if (parse.GetValue(s_storePasswordFile) is { } passwordFile)
            configuration.StorePasswordFile = Path.GetFullPath(passwordFile);
        if (firstStart && parse.GetValue(s_serverNames) is { Length: > 0 } names)
            configuration.ServerNames.AddRange(names);
        var duplicate = configuration.Hubs.Select(h => h.BoundPort).Concat(configuration.Hubs.Select(h => h.RegistryPort).Where(p => p > 0))
            .Append(configuration.BoundDevicePort).Append(configuration.BoundRestPort).Concat(configuration.DeviceHttpsPort > 0 ? [configuration.DeviceHttpsPort] : [])
            .GroupBy(p => p).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new FormatException($"port {duplicate.Key} is used twice; the device endpoint, the REST API and every hub (MQTT and registry) need their own port");
    }

    private static int? HubPort(string[] options, string hub)
    {
        foreach (var option in options)
        {
            var eq = option.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || !int.TryParse(option.AsSpan(eq + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port))
                throw new FormatException($"--hub-listen-port '{option}' is not NAME=PORT");
            if (option[..eq] == hub)
                return Port(port, "--hub-listen-port");
        }
        return null;
    }

    private static HubDefinition ParseHub(string text)
    {
        var eq = text.IndexOf('=', StringComparison.Ordinal);
        var parts = eq <= 0 ? [] : text[(eq + 1)..].Split(':');
        var registryPort = 0;
        if (parts.Length is < 2 or > 3 || parts[0].Length == 0
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || (parts.Length == 3 && !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out registryPort)))
        {
            throw new FormatException($"--hub '{text}' is not NAME=HOST:MQTTPORT[:REGISTRYPORT]");
        }
        return new HubDefinition(text[..eq], parts[0], Port(port, "--hub"), parts.Length == 3 ? Port(registryPort, "--hub") : 0);
    }

    private static int Port(int port, string option) =>
        port is > 0 and < 65536 ? port : throw new FormatException($"{option} {port} is not a TCP port (1..65535)");
}
