using System.CommandLine;
using DeviceAgent.Configuration;
using DeviceAgent.Identity;
using DeviceAgent.Keys;
using DeviceAgent.Renewal;
using DeviceAgent.State;

namespace DeviceAgent.Cli;

/// <summary>
/// <c>deviceagent reset [--credential]</c>: forget the assignment so that the next start provisions again.
/// A renewed credential is kept (after a renewal identity.key may be destroyed: the renewed key is then the
/// device's only identity). <c>--credential</c> also forgets it and goes back to identity.key/identity.chain,
/// refused unless those work, so a reset never leaves the device without an identity.
/// </summary>
internal static class ResetCommand
{
    private static readonly Option<string> s_config = ConfigOption.Create();
    private static readonly Option<bool> s_credential = new("--credential")
    {
        Description = "also forget the renewed credential (destroying the renewed keys) and use identity.key/identity.chain again; refused unless they work",
    };

    public static Command Build()
    {
        var command = new Command("reset", "forget the saved assignment; the next start registers with DPS again (with the renewed credential, if any). " +
            "Exit codes: 0 done (also when there was none), 2 bad configuration, 3 --credential but identity.key/identity.chain cannot be used.")
        {
            s_config,
            s_credential,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        AgentConfiguration configuration;
        try
        {
            configuration = AgentConfiguration.Load(parse.GetValue(s_config)!);
        }
        catch (ConfigurationException e)
        {
            await Console.Error.WriteLineAsync($"deviceagent: {e.Message}").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }
        var store = new StateStore(configuration.StateDirectory);
        if (parse.GetValue(s_credential))
            return await ForgetCredentialAsync(configuration, store).ConfigureAwait(false);
        var removed = store.Reset();
        var kept = SafeLoad(store)?.Credential is { } renewed ? $" (keeping the renewed credential, generation {renewed.Generation}, {renewed.Key})" : "";
        await Console.Out.WriteLineAsync(removed ? $"assignment forgotten: the next start provisions again{kept}" : $"nothing to forget: not provisioned{kept}").ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private static async Task<int> ForgetCredentialAsync(AgentConfiguration configuration, StateStore store)
    {
        var state = SafeLoad(store);
        try
        {
            // The onboarding credential must work before the renewed one is forgotten.
            using var onboarding = DeviceIdentity.Open(configuration.Identity);
            if (state is not null)
                new CertificateRenewal(configuration, store, TimeProvider.System).ForgetRenewedCredentials(onboarding.Backends, state);
        }
        catch (IdentityException e)
        {
            await Console.Error.WriteLineAsync($"deviceagent: identity.key/identity.chain cannot be used ({e.Message}): the renewed credential is kept, " +
                "forgetting it would leave the device without an identity\nhint: issue a new certificate ('bringup device issue'), point identity.key/identity.chain at it, then rerun").ConfigureAwait(false);
            return ExitCodes.IdentityUnusable;
        }
        catch (KeyCustodyException e)
        {
            await Console.Error.WriteLineAsync($"deviceagent: a renewed key could not be destroyed ({e.Message}); nothing was forgotten\nhint: rerun 'deviceagent reset --credential'").ConfigureAwait(false);
            return ExitCodes.IdentityUnusable;
        }
        store.Delete();
        await Console.Out.WriteLineAsync("assignment and renewed credential forgotten: the next start provisions with identity.key/identity.chain").ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private static AgentState? SafeLoad(StateStore store)
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
}
