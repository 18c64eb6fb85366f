using System.CommandLine;
using System.Globalization;
using DeviceAgent.Pki.Authority;
using Factory.Cli;
using Factory.Endpoint;

namespace Factory.Commands.Entries;

/// <summary>
/// cert-renewal: an entry's certificate issuance policy, <c>--issuer NAME</c> (one of the endpoint's
/// issuers) with <c>--certificate-days N</c> or <c>--certificate-validity 10m</c>; devices that
/// register under the entry with a CSR get a leaf from it (the REST field <c>clientCertificateIssuancePolicy</c>).
/// </summary>
internal sealed class IssuanceOptions
{
    public Option<string?> Issuer { get; } = new("--issuer")
    {
        Description = "the endpoint's issuer that renews the devices' leaves (provisioning-endpoint issuer import); devices registering with a CSR get a leaf from it",
        HelpName = "NAME",
    };

    public Option<int?> CertificateDays { get; } = new("--certificate-days") { Description = "validity of the leaves the issuer gives, in days (default 365)", HelpName = "N" };

    public Option<string?> CertificateValidity { get; } = new("--certificate-validity")
    {
        Description = "as --certificate-days, with a unit (10m, 36h, 365d), for short-lived leaves in tests and demos",
        HelpName = "LIFETIME",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Issuer);
        command.Options.Add(CertificateDays);
        command.Options.Add(CertificateValidity);
    }

    /// <summary>The policy the options ask for; null when there is no --issuer.</summary>
    /// <exception cref="UsageException">A lifetime without --issuer, both lifetimes, or one out of range.</exception>
    public IssuancePolicy? Resolve(ParseResult parse)
    {
        var issuer = parse.GetValue(Issuer);
        var days = parse.GetValue(CertificateDays);
        var validity = parse.GetValue(CertificateValidity);
        if (issuer is null)
        {
            return days is null && validity is null ? null
                : throw new UsageException("--certificate-days/--certificate-validity set the lifetime of leaves an issuer gives: name it with --issuer");
        }
        if (days is not null && validity is not null)
            throw new UsageException("give the leaves' lifetime either with --certificate-days or with --certificate-validity, not both");
        var text = validity ?? (days ?? 365).ToString(CultureInfo.InvariantCulture) + "d";
        if (!ValidityPeriod.TryParse(text, out var lifetime, out var problem))
            throw new UsageException($"{(validity is null ? "--certificate-days" : "--certificate-validity")}: {problem}");
        return new IssuancePolicy { IssuerName = issuer, CertificateValidity = ValidityPeriod.Format(lifetime) };
    }
}
