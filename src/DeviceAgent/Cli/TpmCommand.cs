using System.CommandLine;
using System.Text.Json;
using DeviceAgent.Configuration;
using DeviceAgent.Identity;
using DeviceAgent.Tpm.Credentials;
using DeviceAgent.Tpm.Provisioning;
using DeviceAgent.Tpm.Transport;

namespace DeviceAgent.Cli;

/// <summary><c>deviceagent tpm info</c>: the TPM's EK, SRK and suggested registration id, for the factory's TPM enrollment.</summary>
internal static class TpmCommand
{
    private static readonly Option<string?> s_config = new("--config") { Description = "agent configuration file whose identity.tpm names the TPM" };
    private static readonly Option<string?> s_tpm = new("--tpm") { Description = "the TPM (device:/dev/tpmrm0, the default, or swtpm:host=H,port=P); overrides the configuration" };
    private static readonly Option<bool> s_json = new("--json") { Description = "print JSON" };

    public static Command Build()
    {
        var info = new Command("info",
            "print the TPM's endorsement key (base64 TPM2B_PUBLIC; created from the TCG template at 0x81010001 only when absent), " +
            "whether an EK certificate is in NV, the SRK and the suggested registration id: what a factory needs to create the TPM enrollment. " +
            "Exit codes: 0 ok, 2 bad configuration, 3 TPM unusable.")
        {
            s_config, s_tpm, s_json,
        };
        info.SetAction(InfoAsync);
        return new Command("tpm", "the TPM that DPS TPM attestation uses") { info };
    }

    private static async Task<int> InfoAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        TpmSpec spec;
        try
        {
            spec = parse.GetValue(s_tpm) is { } text ? ParseSpec(text)
                : parse.GetValue(s_config) is { } path ? AgentConfiguration.Load(path).Identity.TpmSpecification($"configuration '{path}'")
                : TpmSpec.Default;
        }
        catch (ConfigurationException e)
        {
            await Console.Error.WriteLineAsync($"deviceagent: {e.Message}\nhint: --tpm swtpm:host=127.0.0.1,port=2321 or device:/dev/tpmrm0").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }
        TpmInfo info;
        try
        {
            using var device = TpmAttestationDevice.Open(spec);
            var certificate = device.EndorsementCertificateIndex();
            info = new TpmInfo
            {
                Tpm = spec.ToString(),
                EndorsementKey = Convert.ToBase64String(device.EndorsementKey),
                EndorsementKeyHandle = $"0x{TcgTemplates.EkHandle:X8}",
                EndorsementCertificatePresent = certificate is not null,
                EndorsementCertificateIndex = certificate is { } index ? $"0x{index:X8}" : null,
                StorageRootKey = Convert.ToBase64String(device.StorageRootKey),
                StorageRootKeyHandle = $"0x{TpmAuthenticationKey.StorageRootKeyHandle:X8}",
                SuggestedRegistrationId = device.SuggestedRegistrationId,
            };
        }
        catch (IdentityException e)
        {
            await Console.Error.WriteLineAsync($"deviceagent: {e.Message}\nhint: is the TPM there and this user allowed to open it (group tss)?").ConfigureAwait(false);
            return ExitCodes.IdentityUnusable;
        }
        if (parse.GetValue(s_json))
        {
            await Console.Out.WriteLineAsync(JsonSerializer.Serialize(info, TpmInfoJsonContext.Default.TpmInfo)).ConfigureAwait(false);
            return ExitCodes.Success;
        }
        await Console.Out.WriteLineAsync($"""
            TPM:                       {info.Tpm}
            endorsement key:           {info.EndorsementKeyHandle} (RSA 2048, TCG template L-1)
            EK certificate in NV:      {(info.EndorsementCertificatePresent ? $"yes, at {info.EndorsementCertificateIndex}" : "no")}
            storage root key:          {info.StorageRootKeyHandle} (RSA 2048)
            suggested registration id: {info.SuggestedRegistrationId}
            EK (TPM2B_PUBLIC, base64): {info.EndorsementKey}
            hint: bringup enrollment create --registration-id {info.SuggestedRegistrationId} --endorsement-key <that base64 in a file>
            """).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    private static TpmSpec ParseSpec(string text)
    {
        try
        {
            return TpmSpec.Parse(text);
        }
        catch (FormatException e)
        {
            throw new ConfigurationException($"--tpm: {e.Message}", e);
        }
    }
}
