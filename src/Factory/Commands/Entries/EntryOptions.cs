using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Chains.Policy;
using Factory.Cli;

namespace Factory.Commands.Entries;

/// <summary>The options the entry commands share.</summary>
internal static class EntryOptions
{
    /// <summary>The option naming an entry (--id or --registration-id).</summary>
    public static Option<string> Id(EntryKind kind) => new(kind.IdOption)
    {
        Description = kind == EntryKind.Group ? "the enrollment group's id" : "the device's registration id (its certificate's CN)",
        Required = true,
        HelpName = "ID",
    };

    public static Option<bool> Yes() => new("--yes") { Description = "delete even when an enabled group higher up the chain would let the device(s) enroll again" };

    public static Option<bool> Disabled(string what) => new("--disabled") { Description = $"create it disabled ({what})" };

    /// <summary>
    /// A certificate file (PEM, the first certificate, or DER), held to the <see cref="DevicePolicy"/>
    /// as the endpoint holds it: a key or signature DPS would refuse is refused here, before upload.
    /// </summary>
    /// <param name="parse">The parsed command line.</param>
    /// <param name="option">The option naming the file.</param>
    /// <param name="deviceCertificate">True for a device (leaf) certificate, false for a CA certificate.</param>
    /// <exception cref="UsageException">Missing, not a certificate, or refused by the policy.</exception>
    public static X509Certificate2 Certificate(ParseResult parse, Option<string?> option, bool deviceCertificate)
    {
        var path = Path.GetFullPath(parse.GetValue(option)!);
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadCertificateFromFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new UsageException($"{option.Name}: cannot read a certificate from '{path}': {e.Message}", "name a PEM or DER certificate file", e);
        }
        var role = deviceCertificate ? CertificateRole.Leaf
            : CertificateSignature.IsSelfSigned(certificate) ? CertificateRole.Root : CertificateRole.Intermediate;
        var violations = DevicePolicy.JudgeCertificate(certificate, CertificateIdentity.Of(certificate, 0, role)).ToList();
        if (violations.Count == 0)
            return certificate;
        certificate.Dispose();
        throw new UsageException(
            FormattableString.Invariant($"{option.Name} '{path}' is refused (DPS would answer {DevicePolicy.InvalidRequestErrorCode}): {DevicePolicy.Describe(violations)}"),
            "issue the certificate with an RSA key of 2048 bits or more or an EC P-256/P-384 key, signed with SHA-256 or stronger");
    }

    /// <summary>A registration id by DPS's rules.</summary>
    /// <exception cref="UsageException">The id breaks a rule (DPS would answer 400004).</exception>
    public static string RegistrationId(ParseResult parse, Option<string> option)
    {
        var id = parse.GetRequiredValue(option);
        if (DevicePolicy.JudgeRegistrationId(id) is { } problem)
        {
            throw new UsageException(FormattableString.Invariant($"{option.Name} '{id}' is refused (DPS would answer {DevicePolicy.InvalidRequestErrorCode}): {problem}"),
                "a registration id is up to 64 letters, digits and - . _ : (the device certificate's CN), starting and ending with a letter or digit");
        }
        return id;
    }
}
