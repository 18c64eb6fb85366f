using System.CommandLine;
using System.Diagnostics;
using DeviceAgent.Pki.Authority;
using DeviceAgent.Pki.DeviceIdentities;
using DeviceAgent.Pki.Requests;
using Factory.Cli;
using Factory.Output;

namespace Factory.Commands.Device;

/// <summary><c>bringup device batch</c>: a line run, resumable, with a progress bar and a summary table.</summary>
internal static class BatchCommand
{
    public static Command Build()
    {
        var issuer = new Option<string>("--issuer") { Description = "the CA of the store that issues the leaves", Required = true, HelpName = "NAME" };
        var output = new Option<string>("--out") { Description = "directory that receives one DIR/<registration-id>/ (chain.pem, root.pem) per device", Required = true, HelpName = "DIR" };
        var count = new Option<int?>("--count") { Description = "issue N devices named PREFIX + number (device-0001 ...)", HelpName = "N" };
        var prefix = new Option<string>("--prefix") { Description = "registration id prefix for --count", DefaultValueFactory = _ => "device-" };
        var start = new Option<int>("--start") { Description = "first number for --count", DefaultValueFactory = _ => 1 };
        var csv = new Option<string?>("--csv") { Description = "one device per line: registration-id[,request.csr] (a request is issued as is; otherwise the key is generated in the token)", HelpName = "FILE" };
        var keyOptions = new DeviceKeyOptions(template: true);
        var keyType = OptionValues.KeyTypeOption("device");
        var days = new Option<int>("--days") { Description = "validity of the leaves in days", DefaultValueFactory = _ => 365, HelpName = "N" };
        var reissue = new Option<bool>("--reissue") { Description = "issue again for registration ids that already have a certificate" };
        var caDir = CommandRunner.CaDirectoryOption();
        var json = CommandRunner.JsonOption();
        var command = new Command("batch",
            "give many devices their identity in one run (a production line): --count N or --csv FILE. Device keys are generated in " +
            "the token named by --key-template (or come as requests in the CSV). Registration ids are checked first, and a batch that " +
            "repeats one, or names one another run already issued, is refused before anything is issued. Resumable: rerun the same " +
            "command after an interruption; finished devices are skipped. Shows a progress bar and a summary table. " + ExitCodes.Help)
        {
            issuer, output, count, prefix, start, csv, keyType, days, reissue,
        };
        keyOptions.AddTo(command, required: false);
        command.Options.Add(caDir);
        command.Options.Add(json);
        CommandRunner.SetAction(command, json, "device batch", (parse, reporter, cancellationToken) =>
        {
            var rows = Rows(parse, count, prefix, start, csv);
            var outputRoot = Path.GetFullPath(parse.GetRequiredValue(output));
            var algorithm = OptionValues.KeyType(parse, keyType);
            var validity = OptionValues.Days(parse, days);
            var again = parse.GetValue(reissue);
            if (rows.Any(r => r.RequestPath is null))
                _ = keyOptions.Resolve(parse, rows.First(r => r.RequestPath is null).RegistrationId.Value);

            var store = new CaStore(parse.GetRequiredValue(caDir));
            var ledger = store.ReadLedger();
            using var ca = CertificateAuthority.Open(store, CaName.From(parse, issuer), FactoryKeys.ForCas());
            var devices = new DeviceIdentityIssuer(ca, ledger, FactoryKeys.ForDevices());
            var duplicates = rows.Select(r => devices.FindDuplicate(r.RegistrationId, Path.Combine(outputRoot, r.RegistrationId.Value), again))
                .OfType<string>().ToList();
            if (duplicates.Count > 0)
            {
                throw new CertificateAuthorityException(CertificateAuthorityError.DuplicateRegistrationId,
                    $"{duplicates.Count} registration id(s) of this batch already have certificates; nothing was issued: {string.Join(" | ", duplicates)}");
            }

            var requests = CheckRequests(rows);
            var run = new BatchRun(ca.Name);
            var clock = Stopwatch.StartNew();
            BatchProgress.Run(rows.Count, reporter.Json, advance =>
            {
                foreach (var row in rows)
                {
                    if (cancellationToken.IsCancellationRequested)
                    {
                        run.Interrupted = true;
                        break;
                    }
                    var directory = Path.Combine(outputRoot, row.RegistrationId.Value);
                    try
                    {
                        if (requests.TryGetValue(row.Line, out var request))
                            run.Add(devices.IssueFromRequest(request, IssueCommand.RegistrationIdOf(request, row.RegistrationId.Value), directory, validity, again));
                        else
                            run.Add(devices.CreateInToken(keyOptions.Resolve(parse, row.RegistrationId.Value), algorithm, row.RegistrationId, directory, validity, again));
                    }
                    catch (Exception e) when (Failure.TryFrom(e, "device batch", out var failure))
                    {
                        run.Failures.Add(new BatchFailure(row.RegistrationId.Value, failure.Kind, failure.Message));
                    }
                    advance(row.RegistrationId.Value);
                }
            });
            run.Report(reporter, rows.Count, clock.Elapsed);
            return Task.FromResult(run.Failures.Count == 0 && !run.Interrupted ? ExitCodes.Success : ExitCodes.Failed);
        });
        return command;
    }

    /// <summary>Every request of the batch, checked (on every core) before anything is issued; a bad one refuses the batch.</summary>
    private static Dictionary<int, CertificationRequest> CheckRequests(IReadOnlyList<BatchRow> rows)
    {
        var withRequests = rows.Where(r => r.RequestPath is not null).ToList();
        var checkedRequests = CertificationRequests.LoadAll([.. withRequests.Select(r => r.RequestPath!)]);
        var refused = checkedRequests.Where(c => c.Error is not null).Select(c => c.Error!.Message).ToList();
        if (refused.Count > 0)
            throw new CertificationRequestException($"{refused.Count} request(s) of this batch are refused; nothing was issued: {string.Join(" | ", refused)}");
        return withRequests.Select((row, i) => (row.Line, checkedRequests[i].Request!)).ToDictionary(p => p.Line, p => p.Item2);
    }

    private static IReadOnlyList<BatchRow> Rows(ParseResult parse, Option<int?> count, Option<string> prefix, Option<int> start, Option<string?> csv)
    {
        var counted = parse.GetValue(count);
        var file = parse.GetValue(csv);
        if ((counted is null) == (file is null))
            throw new UsageException("give either --count N or --csv FILE", "--count issues device-0001..N; --csv names each device");
        var rows = counted is { } n ? BatchRow.Counted(n, parse.GetValue(prefix) ?? "", parse.GetValue(start)) : BatchRow.FromCsv(file!);
        BatchRow.RefuseDuplicates(rows, file is null ? "the batch" : $"--csv '{file}'");
        return rows;
    }
}
