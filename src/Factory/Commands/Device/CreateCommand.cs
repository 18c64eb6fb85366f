using System.CommandLine;
using DeviceAgent.Pki.Authority;
using DeviceAgent.Pki.DeviceIdentities;
using DeviceAgent.Pki.Registration;
using Factory.Cli;

namespace Factory.Commands.Device;

/// <summary><c>bringup device create</c>: key generated inside the device's token, leaf issued by a line CA, chain written.</summary>
internal static class CreateCommand
{
    public static Command Build()
    {
        var keyOptions = new DeviceKeyOptions(template: false);
        var registrationId = new Option<string>("--registration-id") { Description = "the device's DPS registration id: the leaf's subject CN", Required = true, HelpName = "ID" };
        var issuer = new Option<string>("--issuer") { Description = "the CA of the store that issues the leaf (a production-line CA)", Required = true, HelpName = "NAME" };
        var output = new Option<string>("--out") { Description = "directory for chain.pem (leaf, then intermediates) and root.pem", Required = true, HelpName = "DIR" };
        var keyType = OptionValues.KeyTypeOption("device");
        var days = new Option<int>("--days") { Description = "validity of the leaf in days (cut to the CA chain's)", DefaultValueFactory = _ => 365, HelpName = "N" };
        var validityOption = OptionValues.ValidityOption("leaf"); // cert-renewal: short-lived leaves for tests and demos
        var reissue = new Option<bool>("--reissue") { Description = "issue again for a registration id that already has a certificate (a replacement)" };
        var tpm = new Option<string?>("--tpm")
        {
            Description = "the TPM that holds a tpm:handle=0x81XXXXXX key: device:/dev/tpmrm0 (the default) or swtpm:host=127.0.0.1,port=2321",
            HelpName = "SPEC",
        };
        var ekCa = TpmKeyAttestation.EkCaOption();
        var noAttestation = TpmKeyAttestation.SkipOption();
        var caDir = CommandRunner.CaDirectoryOption();
        var json = CommandRunner.JsonOption();
        var command = new Command("create",
            "give a device its identity: generate its key pair inside its token (TPM or HSM, never exported), sign a PKCS#10 request " +
            "with that key, issue the leaf (CN = registration id, clientAuth) from the line CA, validate the chain, and write " +
            "DIR/chain.pem and DIR/root.pem. A registration id DPS would refuse, or one already issued, is refused. Rerunning after " +
            "a failure is safe (an existing key is reused; a finished identity is left alone). A tpm: key is attested first: " +
            "TPM2_Certify by an attestation key of the endorsement hierarchy proves this TPM made the key of the request (fixedTPM, " +
            "fixedParent, sensitiveDataOrigin), and the TPM's EK certificate must chain to --ek-ca; the issuance log records it. " + ExitCodes.Help)
        {
            registrationId, issuer, output, keyType, days, validityOption, reissue, tpm, ekCa, noAttestation,
        };
        // --module and the PIN are checked in Resolve: a tpm:handle= key needs neither.
        keyOptions.AddTo(command, required: false);
        command.Options.Add(caDir);
        command.Options.Add(json);
        CommandRunner.SetAction(command, json, "device create", (parse, reporter, _) =>
        {
            var id = RegistrationId.Parse(parse.GetRequiredValue(registrationId));
            var key = keyOptions.Resolve(parse);
            var algorithm = OptionValues.KeyType(parse, keyType);
            var validity = OptionValues.Validity(parse, validityOption, days);
            var (devices, tpmBackend) = FactoryKeys.ForDevices(TpmSpecOption.Parse(parse.GetValue(tpm)));
            using var tpmKeys = tpmBackend;
            var attestor = TpmKeyAttestation.From(parse, ekCa, noAttestation, key, tpmBackend);
            var store = new CaStore(parse.GetRequiredValue(caDir));
            var ledger = store.ReadLedger();
            using var ca = CertificateAuthority.Open(store, CaName.From(parse, issuer), FactoryKeys.ForCas());
            var identity = new DeviceIdentityIssuer(ca, ledger, devices) { KeyAttestor = attestor }
                .CreateInToken(key, algorithm, id, parse.GetRequiredValue(output), validity, parse.GetValue(reissue));
            DeviceReport.Print(reporter, identity, ca.Name, key.Text);
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }
}
