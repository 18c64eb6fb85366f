using System.CommandLine;
using DeviceAgent.Pki.Authority;
using DeviceAgent.Pki.DeviceIdentities;
using DeviceAgent.Pki.Registration;
using DeviceAgent.Pki.Requests;
using Factory.Cli;

namespace Factory.Commands.Device;

/// <summary><c>bringup device issue</c>: the leaf for a PKCS#10 request made on the device.</summary>
internal static class IssueCommand
{
    public static Command Build()
    {
        var csr = new Option<string>("--csr") { Description = "the device's PKCS#10 request, PEM or DER", Required = true, HelpName = "FILE" };
        var issuer = new Option<string>("--issuer") { Description = "the CA of the store that issues the leaf", Required = true, HelpName = "NAME" };
        var output = new Option<string>("--out") { Description = "directory for chain.pem (leaf, then intermediates) and root.pem", Required = true, HelpName = "DIR" };
        var registrationId = new Option<string?>("--registration-id")
        {
            Description = "the expected registration id; the request's subject CN must be it (default: the CN, checked against DPS rules)",
            HelpName = "ID",
        };
        var days = new Option<int>("--days") { Description = "validity of the leaf in days (cut to the CA chain's)", DefaultValueFactory = _ => 365, HelpName = "N" };
        var validityOption = OptionValues.ValidityOption("leaf"); // cert-renewal: short-lived leaves for tests and demos
        var reissue = new Option<bool>("--reissue") { Description = "issue again for a registration id that already has a certificate (a replacement)" };
        var caDir = CommandRunner.CaDirectoryOption();
        var json = CommandRunner.JsonOption();
        var command = new Command("issue",
            "issue a device's leaf from a PKCS#10 request produced on the device (a line station received it): the request's " +
            "self-signature must verify (RFC 2986) and its key must be EC P-256/P-384 or RSA of at least 2048 bits; the registration id " +
            "is its subject CN. Writes DIR/chain.pem and DIR/root.pem, like 'device create'. " + ExitCodes.Help)
        {
            csr, issuer, output, registrationId, days, validityOption, reissue, caDir, json,
        };
        CommandRunner.SetAction(command, json, "device issue", (parse, reporter, _) =>
        {
            var request = CertificationRequest.Load(parse.GetRequiredValue(csr));
            var id = RegistrationIdOf(request, parse.GetValue(registrationId));
            var validity = OptionValues.Validity(parse, validityOption, days);
            var store = new CaStore(parse.GetRequiredValue(caDir));
            var ledger = store.ReadLedger();
            using var ca = CertificateAuthority.Open(store, CaName.From(parse, issuer), FactoryKeys.ForCas());
            var identity = new DeviceIdentityIssuer(ca, ledger, FactoryKeys.ForDevices())
                .IssueFromRequest(request, id, parse.GetRequiredValue(output), validity, parse.GetValue(reissue));
            DeviceReport.Print(reporter, identity, ca.Name, $"from request {request.SourceName}");
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    /// <summary>The request's registration id, and the expected one when given.</summary>
    internal static RegistrationId RegistrationIdOf(CertificationRequest request, string? expected)
    {
        var id = request.RegistrationId();
        if (expected is not null && !id.Equals(RegistrationId.Parse(expected)))
        {
            throw new UsageException($"the request's subject CN is '{id}', but --registration-id is '{expected}'",
                "issue for the id the device asked for, or ask the device for a request with the right id");
        }
        return id;
    }
}
