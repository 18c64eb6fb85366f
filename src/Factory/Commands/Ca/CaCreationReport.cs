using DeviceAgent.Pki.Authority;
using DeviceAgent.Pki.Inspection;
using Factory.Cli;
using Factory.Output;

namespace Factory.Commands.Ca;

/// <summary>How a created or imported CA is reported, in text and JSON.</summary>
internal static class CaCreationReport
{
    public static void Print(Reporter reporter, string what, string verb, CaCreation creation)
    {
        var entry = creation.Entry;
        var details = CertificateDetails.Of(entry.Certificate);
        foreach (var warning in creation.Warnings)
            Reporter.Note(warning);
        reporter.Result(new CaResult(true, entry.Name, entry.Directory, creation.AlreadyExisted, entry.IssuerName, entry.Key.ToString(),
            creation.Key?.Existed, details, creation.Warnings), FactoryJson.Default.CaResult);

        reporter.Line(creation.AlreadyExisted
            ? $"{what} '{entry.Name}' is already in the store ({entry.Directory}): nothing to do"
            : $"{verb} {what} '{entry.Name}' in {entry.Directory}");
        reporter.Field("subject", details.Subject);
        reporter.Field("issuer", details.SelfSigned ? "self-signed" : entry.IssuerName is null ? details.Issuer : $"{details.Issuer} (CA '{entry.IssuerName}')");
        reporter.Field("key", creation.Key is { } key
            ? $"{key.Description} ({(key.Existed ? "existing key used" : "generated")}), {entry.Key}"
            : $"{details.Key}, {entry.Key}");
        reporter.Field("path length", details.PathLength?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unconstrained");
        reporter.Field("serial", details.Serial);
        reporter.Field("SHA-1", $"{details.Thumbprint} (thumbprint as DPS shows it)");
        reporter.Field("SHA-256", details.Sha256Thumbprint);
        reporter.Field("valid", TextFormat.Validity(details));
        reporter.Field("certificate", entry.CertificatePath);
    }
}
