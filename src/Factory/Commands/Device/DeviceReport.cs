using DeviceAgent.Pki.DeviceIdentities;
using Factory.Cli;
using Factory.Output;

namespace Factory.Commands.Device;

/// <summary>How one device identity is reported, in text and JSON.</summary>
internal static class DeviceReport
{
    public static DeviceResult Result(DeviceIdentity identity, string issuer) => new(true, identity.RegistrationId.Value,
        TextFormat.Outcome(identity.Outcome), issuer, identity.ChainPath, identity.RootPath, identity.KeyExisted, identity.Leaf,
        TextFormat.Timings(identity.Timings), identity.Warnings, identity.KeyAttestation);

    public static void Print(Reporter reporter, DeviceIdentity identity, string issuer, string? keyDescription)
    {
        foreach (var warning in identity.Warnings)
            Reporter.Note(warning);
        reporter.Result(Result(identity, issuer), FactoryJson.Default.DeviceResult);
        var id = identity.RegistrationId.Value;
        reporter.Line(identity.Outcome switch
        {
            DeviceIdentityOutcome.AlreadyDone => $"device '{id}' already has its identity from CA '{issuer}' in {Path.GetDirectoryName(identity.ChainPath)}: nothing to do",
            DeviceIdentityOutcome.Reissued => $"reissued the identity of device '{id}' from CA '{issuer}'",
            _ => $"issued the identity of device '{id}' from CA '{issuer}'",
        });
        var leaf = identity.Leaf;
        reporter.Field("chain", $"{identity.ChainPath} (leaf, then intermediates; send both in TLS)");
        reporter.Field("root", identity.RootPath);
        if (keyDescription is not null)
        {
            reporter.Field("key", identity.KeyExisted switch
            {
                true => $"{leaf.Key}, {keyDescription} (existing key in the token)",
                false => $"{leaf.Key}, {keyDescription} (generated inside the token)",
                _ => $"{leaf.Key}, {keyDescription}",
            });
        }
        if (identity.KeyAttestation is { } attestation)
            reporter.Field("attestation", TextFormat.KeyAttestation(attestation));
        reporter.Field("subject", leaf.Subject);
        reporter.Field("issuer", leaf.Issuer);
        reporter.Field("serial", leaf.Serial);
        reporter.Field("SHA-1", $"{leaf.Thumbprint} (thumbprint as DPS shows it)");
        reporter.Field("SHA-256", leaf.Sha256Thumbprint);
        reporter.Field("valid", TextFormat.Validity(leaf));
        reporter.Field("usage", TextFormat.Usages(leaf));
        if (identity.Outcome != DeviceIdentityOutcome.AlreadyDone)
        {
            var t = identity.Timings;
            reporter.Field("time", $"key {TextFormat.Milliseconds(t.KeyGeneration)}, request {TextFormat.Milliseconds(t.RequestSigning)}, " +
                $"issuance {TextFormat.Milliseconds(t.Issuance)}, writing {TextFormat.Milliseconds(t.Writing)}");
        }
    }
}
