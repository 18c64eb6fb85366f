using DeviceAgent.Pki.Authority;
using ProvisioningEndpoint.Rest.Http;

namespace ProvisioningEndpoint.Issuance;

/// <summary>
/// An entry's <c>clientCertificateIssuancePolicy</c> in the service API:
/// <c>{"issuerName": "line-a-issuer", "certificateValidity": "365d"}</c>. This endpoint's own
/// field (DPS's preview names its policies differently and ties them to Azure Device Registry);
/// the validity takes a unit (s, m, h, d), so demos can issue leaves that live minutes.
/// </summary>
internal sealed class IssuancePolicyWire
{
    private const string Field = "clientCertificateIssuancePolicy";

    public string? IssuerName { get; set; }

    public string? CertificateValidity { get; set; }

    /// <summary>The policy a PUT body asks for (null for none), naming an issuer this endpoint holds.</summary>
    /// <exception cref="RestException">400 naming the field.</exception>
    public static CertificateIssuancePolicy? Read(IssuancePolicyWire? wire, IssuerStore issuers)
    {
        ArgumentNullException.ThrowIfNull(issuers);
        if (wire is null)
            return null;
        if (string.IsNullOrEmpty(wire.IssuerName))
            throw RestException.BadField($"{Field}.issuerName", "is required: the name of one of the endpoint's issuers (provisioning-endpoint issuer list)");
        if (!issuers.Contains(wire.IssuerName))
            throw RestException.BadField($"{Field}.issuerName", $"is '{wire.IssuerName}', which is not one of this endpoint's issuers; import it with 'provisioning-endpoint issuer import'");
        if (!ValidityPeriod.TryParse(wire.CertificateValidity ?? "365d", out var validity, out var problem))
            throw RestException.BadField($"{Field}.certificateValidity", problem!);
        return new CertificateIssuancePolicy(wire.IssuerName, validity);
    }

    /// <summary>The stored policy as the API shows it; null for none.</summary>
    public static IssuancePolicyWire? Write(CertificateIssuancePolicy? policy) =>
        policy is null ? null : new IssuancePolicyWire { IssuerName = policy.IssuerName, CertificateValidity = ValidityPeriod.Format(policy.Validity) };
}
