using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using ProvisioningEndpoint.Setup;

namespace ProvisioningEndpoint.Cli;

/// <summary><c>provisioning-endpoint info</c>: what a script needs to use the endpoint.</summary>
internal static class InfoCommand
{
    private static readonly Option<string> s_dataDir = new("--data-dir") { Description = "the data directory", Required = true };
    private static readonly Option<bool> s_json = new("--json") { Description = "JSON with idScope, deviceEndpoint, hubs (name, host, port, registryPort, connectionString), restUrl, metricsUrl, serverCaCertificate, connectionString, consoleUrl" };

    public static Command Build()
    {
        var command = new Command("info", "print the ID scope, endpoints, server CA and owner connection string. Exit codes: 0 ok, 1 not initialised.")
        {
            s_dataDir, s_json,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var data = new EndpointDataDirectory(parse.GetValue(s_dataDir)!);
        if (!data.IsInitialized)
        {
            await Console.Error.WriteLineAsync($"provisioning-endpoint: '{data.Path}' is not an initialised data directory; run 'provisioning-endpoint serve --data-dir {data.Path}' once").ConfigureAwait(false);
            return ExitCodes.Failed;
        }
        var configuration = data.LoadConfiguration();
        var info = new EndpointInfo(
            configuration.IdScope,
            $"{configuration.HostName}:{configuration.DevicePort}",
            [.. configuration.Hubs.Select(h => new HubInfo(h.Name, h.HostName, h.Port,
                h.RegistryPort > 0 ? h.RegistryPort : null, data.HubConnectionString(h)))],
            $"https://{configuration.HostName}:{configuration.RestPort}",
            data.ServerCaCertificateFile,
            data.OwnerConnectionString(configuration),
            $"https://{configuration.HostName}:{configuration.RestPort}/console")
        {
            MetricsUrl = Observability.MetricsRoute.Url(configuration),
        };
        if (parse.GetValue(s_json))
        {
            // Relaxed escaping: a connection string's '+' and '/' stay readable (the output is not HTML).
            var options = new JsonSerializerOptions(EndpointJsonContext.Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
            await Console.Out.WriteLineAsync(JsonSerializer.Serialize(info, options.GetTypeInfo(typeof(EndpointInfo)))).ConfigureAwait(false);
            return ExitCodes.Success;
        }
        await Console.Out.WriteLineAsync($"""
            ID scope:           {info.IdScope}
            device endpoint:    {info.DeviceEndpoint} (DPS over MQTT/TLS)
            hubs:               {string.Join(", ", info.Hubs.Select(h => $"{h.Name} at {h.Host}:{h.Port}" + (h.RegistryPort is { } r ? $" (registry https://{h.Host}:{r})" : "")))}
            REST API:           {info.RestUrl}
            metrics:            {info.MetricsUrl} (Prometheus, unauthenticated)
            operator console:   {info.ConsoleUrl} (accounts: provisioning-endpoint operator add)
            server CA:          {info.ServerCaCertificate}
            connection string:  (secret; shown with --json)
            """).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
