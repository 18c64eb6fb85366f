using System.CommandLine;
using System.Text.Json;
using DeviceAgent.Configuration;
using DeviceAgent.Identity;
using DeviceAgent.Pki.Tls;
using DeviceAgent.Renewal;
using DeviceAgent.State;
using Microsoft.Extensions.Logging;

namespace DeviceAgent.Cli;

/// <summary><c>deviceagent renew --now</c>: one certificate renewal with a fresh key, now.</summary>
internal static class RenewCommand
{
    private static readonly Option<string> s_config = ConfigOption.Create();
    private static readonly Option<bool> s_now = new("--now") { Description = "renew now, whatever the schedule (required: the daemon renews on schedule by itself)" };
    private static readonly Option<bool> s_json = new("--json") { Description = "print the outcome as JSON" };

    public static Command Build()
    {
        var command = new Command("renew",
            "renew the device certificate now with a new key in the TPM/HSM: over the hub, else by DPS re-registration; commit once the new identity has connected. " +
            "Do not run it while the daemon runs. Exit codes: 0 renewed, 1 the renewal failed (rolled back: the current identity stays), 2 bad command line, configuration or state, 3 identity unusable.")
        {
            s_config, s_now, s_json,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var json = parse.GetValue(s_json);
        if (!parse.GetValue(s_now))
        {
            await Console.Error.WriteLineAsync("deviceagent: renew needs --now (the daemon renews on schedule by itself)\nhint: deviceagent renew --now --config FILE").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }
        if (await ConfigOption.LoadForRunAsync(parse.GetValue(s_config)!).ConfigureAwait(false) is not { } configuration)
            return ExitCodes.UsageError;
        var store = new StateStore(configuration.StateDirectory);
        try
        {
            if (store.Load() is not { IsAssigned: true })
                return await FailAsync(json, "the device is not provisioned (no state)", "run 'deviceagent provision' first", ExitCodes.UsageError).ConfigureAwait(false);
        }
        catch (StateException e)
        {
            return await FailAsync(json, e.Message, null, ExitCodes.UsageError).ConfigureAwait(false);
        }
        DeviceIdentity identity;
        try
        {
            identity = CurrentCredential.Open(configuration);
        }
        catch (IdentityException e)
        {
            return await FailAsync(json, $"the device identity cannot be used: {e.Message}", $"deviceagent doctor --config {parse.GetValue(s_config)}", ExitCodes.IdentityUnusable).ConfigureAwait(false);
        }
        using var loggers = AgentLogging.Create(verbose: false, toStandardError: true); // stdout is the outcome
        var hubTrust = configuration.Hub.Trust is null ? TlsServerTrust.SystemStore : TlsServerTrust.FromPemFile(configuration.Hub.Trust);
        var keepAlive = TimeSpan.FromSeconds(configuration.Hub.KeepAliveSeconds);
        var driver = new RenewalDriver(configuration, new CertificateRenewal(configuration, store, TimeProvider.System), store, TimeProvider.System,
            loggers.CreateLogger<RenewalDriver>());
        try
        {
            if (await driver.RecoverAsync(identity, hubTrust, keepAlive, cancellationToken).ConfigureAwait(false) is { } recovered)
            {
                identity.Dispose();
                identity = recovered;
            }
            var oldThumbprint = identity.Thumbprint;
            var (renewed, issuedOver) = await driver.RenewNowAsync(identity, hubTrust, keepAlive, cancellationToken).ConfigureAwait(false);
            using (renewed)
            {
                var schedule = RenewalSchedule.For(renewed.Leaf, configuration.Renewal);
                var state = store.Load()!;
                var outcome = new RenewOutcome
                {
                    Renewed = true,
                    IssuedOver = issuedOver,
                    OldThumbprint = oldThumbprint,
                    NewThumbprint = renewed.Thumbprint,
                    Key = state.Credential?.Key,
                    Chain = state.Credential?.Chain,
                    NotAfter = schedule.NotAfter,
                    NextRenewal = schedule.RenewAt,
                    OldKeyDestroyAfter = state.RetiredKey?.DestroyAfterUtc,
                };
                if (json)
                {
                    await Console.Out.WriteLineAsync(JsonSerializer.Serialize(outcome, AgentJsonContext.Output.RenewOutcome)).ConfigureAwait(false);
                }
                else
                {
                    await Console.Out.WriteLineAsync($"renewed over {issuedOver}: certificate {oldThumbprint} -> {renewed.Thumbprint} (key {outcome.Key}), valid until {schedule.NotAfter:u}; " +
                        $"next renewal {schedule.RenewAt:u}" + (outcome.OldKeyDestroyAfter is { } after ? $"; the old key is destroyed after {after:u}" : "")).ConfigureAwait(false);
                }
                return ExitCodes.Success;
            }
        }
        catch (RenewalException e)
        {
            return await FailAsync(json, $"renewal failed, the current identity stays: {e.Message}", null, ExitCodes.CheckFailed).ConfigureAwait(false);
        }
        finally
        {
            identity.Dispose();
        }
    }

    private static async Task<int> FailAsync(bool json, string message, string? hint, int exitCode)
    {
        if (json)
        {
            await Console.Out.WriteLineAsync(JsonSerializer.Serialize(new RenewOutcome { Renewed = false, Error = message }, AgentJsonContext.Output.RenewOutcome)).ConfigureAwait(false);
        }
        else
        {
            await Console.Error.WriteLineAsync($"deviceagent: {message}").ConfigureAwait(false);
            if (hint is not null)
                await Console.Error.WriteLineAsync($"hint: {hint}").ConfigureAwait(false);
        }
        return exitCode;
    }
}

/// <summary>What <c>renew --now --json</c> prints.</summary>
internal sealed class RenewOutcome
{
    public bool Renewed { get; init; }

    /// <summary>hub or dps.</summary>
    public string? IssuedOver { get; init; }

    public string? OldThumbprint { get; init; }

    public string? NewThumbprint { get; init; }

    public string? Key { get; init; }

    public string? Chain { get; init; }

    public DateTimeOffset? NotAfter { get; init; }

    public DateTimeOffset? NextRenewal { get; init; }

    public DateTimeOffset? OldKeyDestroyAfter { get; init; }

    public string? Error { get; init; }
}
