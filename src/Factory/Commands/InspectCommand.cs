using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
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
        var json = CommandRunner.JsonOption();
        var command = new Command("inspect",
            "show a chain as a tree from the root down to the leaf: subjects, issuers, thumbprints (SHA-1 as DPS shows them, and " +
            "SHA-256), validity, key type, key usages, and which chain checks pass (order, CA flags, path length, validity, " +
            "clientAuth, trust to the root). Exit codes: 0 every check passed, 1 a check failed or the file is not a chain, 2 bad options.")
        {
            file, root, json,
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
            reporter.Result(new InspectResult(report.IsValid, Path.GetFullPath(path), anchorPath is null ? null : Path.GetFullPath(anchorPath), certificates, checks),
                FactoryJson.Default.InspectResult);
            PrintTree(reporter, path, anchor, certificates);
            PrintChecks(reporter, report, anchorPath);
            return Task.FromResult(report.IsValid ? ExitCodes.Success : ExitCodes.Failed);
        });
        return command;
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
