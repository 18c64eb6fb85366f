using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Pki.Authority;
using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Inspection;
using Factory.Cli;
using Factory.Output;

namespace Factory.Commands;

/// <summary><c>bringup inspect</c>: a chain bundle as a tree, with the checks a TLS server and DPS would apply.</summary>
internal static class InspectCommand
{
    public static Command Build()
    {
        var file = new Argument<string>("FILE") { Description = "a PEM chain bundle (chain.pem: leaf first, then intermediates) or a certificate" };
        var root = new Option<string?>("--root")
        {
            Description = "the root to check trust against (default: root.pem beside FILE, when there is one)",
            HelpName = "FILE",
        };
        var caDir = new Option<string?>("--ca-dir")
        {
            Description = "a CA store: show the issuance log's record of the leaf (which CA issued it, when, and how its key was attested)",
            HelpName = "DIR",
        };
        var json = CommandRunner.JsonOption();
        var command = new Command("inspect",
            "show a chain as a tree from the root down to the leaf: subjects, issuers, thumbprints (SHA-1 as DPS shows them, and " +
            "SHA-256), validity, key type, key usages, and which chain checks pass (order, CA flags, path length, validity, " +
            "clientAuth, trust to the root). Exit codes: 0 every check passed, 1 a check failed or the file is not a chain, 2 bad options.")
        {
            file, root, caDir, json,
        };
        CommandRunner.SetAction(command, json, "inspect", (parse, reporter, _) =>
        {
            var path = parse.GetRequiredValue(file);
            using var bundle = ChainBundle.Load(path);
            var anchorPath = parse.GetValue(root) ?? Beside(path);
            using var anchor = anchorPath is null ? null : LoadRoot(anchorPath);
            var report = new ChainBundleValidator().Validate(bundle, new ChainValidationOptions { TrustAnchors = anchor is null ? null : [anchor] });
            var certificates = bundle.Certificates.Select((c, i) => new InspectedCertificate(i + 1, Role(bundle, c), CertificateDetails.Of(c))).ToList();
            var checks = report.Checks.Select(c => new InspectedCheck(c.Name, Status(c.Status), c.Summary, [.. c.Violations.Select(v => v.Message)])).ToList();
            var store = parse.GetValue(caDir);
            var issuance = store is null ? null : IssuanceOf(new CaStore(store), bundle.Leaf);
            reporter.Result(new InspectResult(report.IsValid, Path.GetFullPath(path), anchorPath is null ? null : Path.GetFullPath(anchorPath), certificates, checks,
                issuance), FactoryJson.Default.InspectResult);
            PrintTree(reporter, path, anchor, certificates);
            PrintChecks(reporter, report, anchorPath);
            if (store is not null)
                PrintIssuance(reporter, store, issuance);
            return Task.FromResult(report.IsValid ? ExitCodes.Success : ExitCodes.Failed);
        });
        return command;
    }

    /// <summary>The leaf's record in the issuance logs of the store's CAs (by SHA-256 of the DER), or null.</summary>
    /// <exception cref="UsageException">The directory is not a CA store.</exception>
    private static InspectedIssuance? IssuanceOf(CaStore store, X509Certificate2 leaf)
    {
        if (!Directory.Exists(store.Directory))
            throw new UsageException($"--ca-dir '{store.Directory}' does not exist", "point --ca-dir at the CA store that issued the leaf");
        var sha256 = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(leaf.RawData));
        foreach (var name in store.Names)
        {
            using var entry = store.Get(name);
            if (entry.Log.Read().FirstOrDefault(r => string.Equals(r.Sha256Thumbprint, sha256, StringComparison.OrdinalIgnoreCase)) is { } record)
                return new InspectedIssuance(name, record);
        }
        return null;
    }

    private static void PrintIssuance(Reporter reporter, string store, InspectedIssuance? issuance)
    {
        reporter.Line();
        if (issuance is null)
        {
            reporter.Line($"issuance: the leaf is in no issuance log of the CA store {store}");
            return;
        }
        var record = issuance.Record;
        reporter.Line($"issuance (CA store {store}):");
        reporter.Field("CA", $"{issuance.Ca}, {TextFormat.Instant(record.Time)}, serial {record.Serial}");
        if (record.Output is not null)
            reporter.Field("written to", record.Output);
        reporter.Field("attestation", record.KeyAttestation is { } attestation
            ? TextFormat.KeyAttestation(attestation)
            : "none recorded (a token key checked by its custody attributes, or a request made elsewhere)");
    }

    private static string? Beside(string path)
    {
        var candidate = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "root.pem");
        return File.Exists(candidate) && !string.Equals(Path.GetFullPath(path), candidate, StringComparison.Ordinal) ? candidate : null;
    }

    private static X509Certificate2 LoadRoot(string path)
    {
        using var bundle = ChainBundle.Load(path);
        return X509CertificateLoader.LoadCertificate(bundle.Certificates[^1].RawData);
    }

    private static string Role(ChainBundle bundle, X509Certificate2 certificate) =>
        ReferenceEquals(certificate, bundle.Leaf) ? "leaf" : ReferenceEquals(certificate, bundle.Root) ? "root" : "intermediate";

    private static string Status(ChainCheckStatus status) => status switch
    {
        ChainCheckStatus.Passed => "passed",
        ChainCheckStatus.Failed => "failed",
        _ => "skipped",
    };

    /// <summary>The root (or the top of the bundle) first, each certificate indented under its issuer, the leaf last.</summary>
    private static void PrintTree(Reporter reporter, string path, X509Certificate2? anchor, List<InspectedCertificate> certificates)
    {
        reporter.Line($"{path}: {certificates.Count} certificate(s)");
        var levels = new List<(string Title, CertificateDetails Details)>();
        if (anchor is not null && certificates.All(c => c.Details.Thumbprint != anchor.Thumbprint))
            levels.Add(("root (trust anchor, not in the bundle)", CertificateDetails.Of(anchor)));
        levels.AddRange(certificates.AsEnumerable().Reverse().Select(c => ($"{c.Role} (#{c.Position} in the bundle)", c.Details)));
        for (var depth = 0; depth < levels.Count; depth++)
        {
            var (title, details) = levels[depth];
            var indent = new string(' ', depth * 3);
            var constraint = details.IsCa ? $", CA{(details.PathLength is { } n ? ", pathLen " + n.ToString(CultureInfo.InvariantCulture) : "")}" : "";
            reporter.Line($"{indent}{(depth == 0 ? "" : "└─ ")}{details.Subject}  [{title}{constraint}]");
            var pad = indent + (depth == 0 ? "   " : "      ");
            reporter.Line($"{pad}issuer   {(details.SelfSigned ? "self-signed" : details.Issuer)}");
            reporter.Line($"{pad}SHA-1    {details.Thumbprint}  (as DPS shows it)");
            reporter.Line($"{pad}SHA-256  {details.Sha256Thumbprint}");
            reporter.Line($"{pad}serial   {details.Serial}");
            reporter.Line($"{pad}valid    {TextFormat.Validity(details)}");
            reporter.Line($"{pad}key      {details.Key}");
            reporter.Line($"{pad}usage    {TextFormat.Usages(details)}");
        }
    }

    private static void PrintChecks(Reporter reporter, ChainValidationReport report, string? anchorPath)
    {
        reporter.Line();
        reporter.Line(anchorPath is null ? "checks (no root given, so trust is not checked: --root FILE):" : $"checks (trust anchor {anchorPath}):");
        foreach (var check in report.Checks)
        {
            var tag = check.Status switch { ChainCheckStatus.Passed => "pass", ChainCheckStatus.Failed => "FAIL", _ => "skip" };
            reporter.Line($"  [{tag}] {check.Name}: {check.Summary}");
            foreach (var violation in check.Violations.Skip(1))
                reporter.Line($"         also: {violation.Message}");
        }
        reporter.Line(report.IsValid ? "all checks passed" : "some checks failed");
    }
}
