using System.CommandLine;
using System.Text.Json;
using DeviceAgent.Configuration;
using DeviceAgent.Identity;
using DeviceAgent.Provisioning;
using DeviceAgent.State;

namespace DeviceAgent.Cli;

/// <summary><c>deviceagent provision</c>: register once with DPS, save the assignment, print the registration state.</summary>
internal static class ProvisionCommand
{
    private static readonly Option<string> s_config = ConfigOption.Create();
    private static readonly Option<bool> s_json = new("--json") { Description = "print the registration state as JSON" };

    public static Command Build()
    {
        var command = new Command("provision",
            "register with DPS once (full chain over TLS, key in the TPM/HSM), save the assignment, print it. " +
            "Exit codes: 0 assigned, 1 refused or unreachable, 2 bad configuration, 3 identity unusable.")
        {
            s_config, s_json,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var json = parse.GetValue(s_json);
        if (await ConfigOption.LoadForRunAsync(parse.GetValue(s_config)!).ConfigureAwait(false) is not { } configuration)
            return ExitCodes.UsageError;
        AgentAttestation identity;
        try
        {
            identity = AgentAttestation.Open(configuration, TimeProvider.System);
        }
        catch (IdentityException e)
        {
            await Console.Error.WriteLineAsync($"deviceagent: the device identity cannot be used: {e.Message}\nhint: deviceagent doctor --config {parse.GetValue(s_config)}").ConfigureAwait(false);
            return ExitCodes.IdentityUnusable;
        }
        using (identity)
        {
            ProvisionOutcome outcome;
            int exitCode;
            try
            {
                var state = await identity.ProvisionAsync(
                    json ? null : message => Console.Error.WriteLine($"deviceagent: {message}"), null, cancellationToken).ConfigureAwait(false);
                new StateStore(configuration.StateDirectory).SaveAssignment(state);
                outcome = new ProvisionOutcome
                {
                    Status = "assigned",
                    RegistrationId = state.RegistrationId,
                    AssignedHub = state.AssignedHub,
                    DeviceId = state.DeviceId,
                    Substatus = state.Substatus,
                };
                exitCode = ExitCodes.Success;
            }
            catch (ProvisioningException e)
            {
                outcome = new ProvisionOutcome
                {
                    Status = e.RegistrationStatus ?? (e.Status is { } s && s is >= 400 and < 500 and not 429 ? "refused" : "unreachable"),
                    RegistrationId = identity.RegistrationId,
                    ErrorCode = e.ErrorCode,
                    ErrorMessage = e.Message,
                    LikelyCause = e.LikelyCause,
                };
                exitCode = ExitCodes.CheckFailed;
            }

            if (json)
            {
                await Console.Out.WriteLineAsync(JsonSerializer.Serialize(outcome, AgentJsonContext.Output.ProvisionOutcome)).ConfigureAwait(false);
            }
            else if (exitCode == ExitCodes.Success)
            {
                await Console.Out.WriteLineAsync($"assigned: hub {outcome.AssignedHub}, device id '{outcome.DeviceId}' ({outcome.Substatus}); saved to {configuration.StateDirectory}").ConfigureAwait(false);
            }
            else
            {
                await Console.Error.WriteLineAsync($"deviceagent: not provisioned ({outcome.Status}): {outcome.ErrorMessage}").ConfigureAwait(false);
                if (outcome.LikelyCause is not null)
                    await Console.Error.WriteLineAsync($"hint: {outcome.LikelyCause}").ConfigureAwait(false);
            }
            return exitCode;
        }
    }
}
