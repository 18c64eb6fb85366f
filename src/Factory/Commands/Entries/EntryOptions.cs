using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
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

    /// <summary>A certificate file (PEM, the first certificate, or DER).</summary>
    /// <exception cref="UsageException">Missing or not a certificate.</exception>
    public static X509Certificate2 Certificate(ParseResult parse, Option<string?> option)
    {
        var path = Path.GetFullPath(parse.GetValue(option)!);
        try
        {
            return X509CertificateLoader.LoadCertificateFromFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new UsageException($"{option.Name}: cannot read a certificate from '{path}': {e.Message}", "name a PEM or DER certificate file", e);
        }
    }
}
