using System.CommandLine;
using Factory.Endpoint;

namespace Factory.Cli;

/// <summary>
/// How the management commands reach the provisioning service: <c>--connection-string</c> (or the
/// PROVISIONING_CONNECTION_STRING variable, which keeps the key off the command line) and
/// <c>--trust</c>, the CA that issued the service's TLS certificate (the local endpoint's server
/// CA; the system trust store when omitted).
/// </summary>
internal sealed class EndpointOptions
{
    public const string ConnectionStringVariable = "PROVISIONING_CONNECTION_STRING";

    public Option<string?> ConnectionString { get; } = new("--connection-string")
    {
        Description = $"the service's owner connection string (HostName=host:port;SharedAccessKeyName=...;SharedAccessKey=...); default: ${ConnectionStringVariable}, " +
            "which keeps the key out of the process list. provisioning-endpoint info --json prints it",
        HelpName = "CS",
    };

    public Option<string?> Trust { get; } = new("--trust")
    {
        Description = "PEM file of the CA that issued the service's TLS certificate (the endpoint's serverCaCertificate); default: the system trust store",
        HelpName = "FILE",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(ConnectionString);
        command.Options.Add(Trust);
    }

    /// <summary>A client of the service the options name.</summary>
    /// <exception cref="UsageException">No connection string, a malformed one, or an unreadable trust file.</exception>
    public ProvisioningServiceClient Connect(ParseResult parse)
    {
        var text = parse.GetValue(ConnectionString) ?? Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new UsageException($"no connection string: pass --connection-string or set {ConnectionStringVariable}",
                "provisioning-endpoint info --data-dir DIR --json prints it (connectionString)");
        }
        ServiceConnectionString connection;
        try
        {
            connection = ServiceConnectionString.Parse(text);
        }
        catch (FormatException e)
        {
            throw new UsageException(e.Message, "copy the whole connection string: HostName=...;SharedAccessKeyName=...;SharedAccessKey=...", e);
        }
        var trust = ServiceTrust.System;
        if (parse.GetValue(Trust) is { } path)
        {
            try
            {
                trust = ServiceTrust.FromPemFile(Path.GetFullPath(path));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                throw new UsageException($"--trust: {e.Message}", "name the endpoint's server CA file (provisioning-endpoint info --json: serverCaCertificate)", e);
            }
        }
        return new ProvisioningServiceClient(connection, trust);
    }
}
