using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using DeviceAgent.Configuration;
using DeviceAgent.Doctor;
using DeviceAgent.Keys;

namespace DeviceAgent.Cli;

/// <summary><c>deviceagent doctor</c>: checks the identity, in order, and reports each check.</summary>
internal static class DoctorCommand
{
    private static readonly Option<string?> s_config = new("--config") { Description = $"agent configuration file (identity.* keys); e.g. {AgentConfiguration.DefaultPath}" };
    private static readonly Option<string?> s_module = new("--module") { Description = "PKCS#11 module (e.g. .../pkcs11/libtpm2_pkcs11.so)" };
    private static readonly Option<string?> s_key = new("--key") { Description = "the device key: PKCS#11 URI (pkcs11:token=...;object=...), tpm:handle=0x81000101 (in the TPM, through our own stack) or file:PATH" };
    private static readonly Option<string?> s_tpm = new("--tpm") { Description = "the TPM of a tpm: key: device:/dev/tpmrm0 (default) or swtpm:host=H,port=P" };
    private static readonly Option<string?> s_pinFile = new("--pin-file") { Description = "file holding the token's user PIN (the PIN is never taken on the command line)" };
    private static readonly Option<string?> s_pinEnv = new("--pin-env") { Description = "environment variable holding the token's user PIN" };
    private static readonly Option<string?> s_chain = new("--chain") { Description = "PEM chain bundle: leaf first, then intermediates" };
    private static readonly Option<string?> s_trust = new("--trust") { Description = "PEM bundle the probed server must chain to (default: the system trust store)" };
    private static readonly Option<string?> s_probe = new("--tls-probe") { Description = "host:port to run a mutual-TLS handshake with" };
    private static readonly Option<double> s_probeWait = new("--tls-probe-wait")
    {
        Description = "seconds to wait for a server's refusal of the client certificate after a TLS 1.3 handshake",
        DefaultValueFactory = _ => 1.0,
    };
    private static readonly Option<bool> s_leafOnly = new("--send-leaf-only") { Description = "diagnostic: send the leaf without its intermediates" };
    private static readonly Option<bool> s_allowSoftware = new("--allow-software-key") { Description = "accept a file: key (development only)" };
    private static readonly Option<bool> s_json = new("--json") { Description = "print the report as JSON" };

    public static Command Build()
    {
        var command = new Command("doctor",
            "check the device identity (the TPM or the PKCS#11 module, token, PIN, key custody, chain bundle), optionally a mutual-TLS handshake, and " +
            "with --config the DPS endpoint and the assigned hub. " +
            "Exit codes: 0 all passed, 1 a check failed, 2 bad options or configuration.")
        {
            s_config, s_module, s_key, s_tpm, s_pinFile, s_pinEnv, s_chain, s_trust, s_probe, s_probeWait, s_leafOnly, s_allowSoftware, s_json,
        };
        command.SetAction(RunAsync);
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var json = parse.GetValue(s_json);
        DoctorSettings settings;
        try
        {
            settings = Resolve(parse);
        }
        catch (Exception e) when (e is ConfigurationException or KeyCustodyException)
        {
            await Console.Error.WriteLineAsync($"deviceagent: {e.Message}").ConfigureAwait(false);
            await Console.Error.WriteLineAsync("hint: deviceagent doctor --help").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }

        var report = await DoctorRunner.RunAsync(settings, json ? null : PrintLine, cancellationToken).ConfigureAwait(false);
        if (json)
            await Console.Out.WriteLineAsync(JsonSerializer.Serialize(report, AgentJsonContext.Output.DoctorReport)).ConfigureAwait(false);
        else
            await Console.Out.WriteLineAsync(report.Passed ? "doctor: all checks passed" : "doctor: some checks failed").ConfigureAwait(false);
        return report.Passed ? ExitCodes.Success : ExitCodes.CheckFailed;
    }

    private static DoctorSettings Resolve(ParseResult parse)
    {
        var agent = parse.GetValue(s_config) is { } path ? AgentConfiguration.Load(path) : null;
        var identity = agent?.Identity ?? new IdentitySettings();
        identity.Module = parse.GetValue(s_module) ?? identity.Module;
        identity.Key = parse.GetValue(s_key) ?? identity.Key;
        identity.Tpm = parse.GetValue(s_tpm) ?? identity.Tpm;
        identity.Chain = parse.GetValue(s_chain) ?? identity.Chain;
        if (parse.GetValue(s_pinFile) is { } pinFile)
            (identity.PinFile, identity.PinEnvironmentVariable) = (pinFile, null);
        if (parse.GetValue(s_pinEnv) is { } pinEnv)
            (identity.PinFile, identity.PinEnvironmentVariable) = (null, pinEnv);
        identity.AllowSoftwareKey |= parse.GetValue(s_allowSoftware);
        if (agent?.Provisioning.IsTpmAttestation == true)
        {
            identity.ValidateForTpmAttestation($"configuration '{parse.GetValue(s_config)}'");
            // No device key: the reference names where the DPS key lives, for the record only.
            return new DoctorSettings(KeyReference.Parse($"tpm:handle=0x{DeviceAgent.Tpm.Credentials.TpmAuthenticationKey.PersistentHandle:X8}"), "", null, null,
                TimeSpan.Zero, false, false, agent, identity.TpmSpecification(), TpmAttestation: true);
        }
        identity.Validate(parse.GetValue(s_config) is { } config ? $"configuration '{config}'" : "the command line (--key, --chain, --module, --tpm, --pin-file)");

        var wait = parse.GetValue(s_probeWait);
        if (wait is < 0 or > 60)
            throw new ConfigurationException($"--tls-probe-wait {wait.ToString(CultureInfo.InvariantCulture)} is out of range 0..60 seconds");
        return new DoctorSettings(identity.ToKeyReference(), identity.Chain!, parse.GetValue(s_trust), parse.GetValue(s_probe),
            TimeSpan.FromSeconds(wait), parse.GetValue(s_leafOnly), identity.AllowSoftwareKey, agent, identity.TpmSpecification());
    }

    private static void PrintLine(DoctorCheckResult result)
    {
        var tag = result.Status switch
        {
            DoctorCheckStatus.Ok => "ok",
            DoctorCheckStatus.Warning => "warning",
            DoctorCheckStatus.Failed => "FAILED",
            _ => "skipped",
        };
        var lines = result.Detail.Split('\n');
        Console.Out.WriteLine($"[{tag,-7}] {result.Title}: {lines[0]}");
        foreach (var line in lines.Skip(1))
            Console.Out.WriteLine($"          {line}");
    }
}
