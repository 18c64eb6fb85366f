using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using DeviceAgent.Configuration;
using DeviceAgent.State;

namespace DeviceAgent.Cli;

/// <summary><c>deviceagent status</c>: what the agent remembers about its assignment.</summary>
internal static class StatusCommand
{
    private static readonly Option<string> s_config = ConfigOption.Create();
    private static readonly Option<bool> s_json = new("--json") { Description = "print the state as JSON" };

    public static Command Build()
    {
        var command = new Command("status", "print the saved assignment (hub, device id, certificate) and the certificate's expiry and next renewal. Exit codes: 0 provisioned, 1 not provisioned, 2 bad configuration or state.")
        {
            s_config, s_json,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        AgentState? state;
        AgentConfiguration configuration;
        try
        {
            configuration = AgentConfiguration.Load(parse.GetValue(s_config)!);
            state = new StateStore(configuration.StateDirectory).Load();
        }
        catch (Exception e) when (e is ConfigurationException or StateException)
        {
            await Console.Error.WriteLineAsync($"deviceagent: {e.Message}").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }
        if (parse.GetValue(s_json))
        {
            if (state is not { IsAssigned: true })
            {
                await Console.Out.WriteLineAsync("""{"provisioned":false}""").ConfigureAwait(false);
            }
            else
            {
                // The state, plus cert-renewal's expiry and next renewal under "renewal".
                var node = JsonNode.Parse(JsonSerializer.Serialize(state, AgentJsonContext.Output.AgentState))!.AsObject();
                if (Renewal.RenewalStatus.Report(configuration, state) is { } report)
                    node["renewal"] = JsonNode.Parse(JsonSerializer.Serialize(report, AgentJsonContext.Output.RenewalStatusReport));
                await Console.Out.WriteLineAsync(node.ToJsonString(AgentJsonContext.Output.Options)).ConfigureAwait(false);
            }
        }
        else if (state is not { IsAssigned: true })
        {
            await Console.Out.WriteLineAsync("not provisioned: the next start registers with DPS").ConfigureAwait(false);
        }
        else
        {
            await Console.Out.WriteLineAsync($"""
                registration id:  {state.RegistrationId} (ID scope {state.IdScope})
                assigned hub:     {state.AssignedHub}
                device id:        {state.DeviceId}
                registered:       {state.RegisteredUtc:yyyy-MM-dd HH:mm:ss}Z ({state.Substatus})
                {(state.Attestation == "tpm" ? $"TPM EK sha256:    {state.CertificateThumbprint} (hub key in the TPM at 0x81000100)" : $"certificate:      {state.CertificateThumbprint}")}
                """).ConfigureAwait(false);
            if (Renewal.RenewalStatus.Describe(configuration, state) is { } renewal) // cert-renewal: expiry and the next renewal
                await Console.Out.WriteLineAsync(renewal).ConfigureAwait(false);
        }
        return state is not { IsAssigned: true } ? ExitCodes.CheckFailed : ExitCodes.Success;
    }
}
