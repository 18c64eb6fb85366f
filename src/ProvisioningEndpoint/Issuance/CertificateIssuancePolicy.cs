using System.Text.Json;
using DeviceAgent.Pki.Authority;

namespace ProvisioningEndpoint.Issuance;

/// <summary>
/// An enrollment entry's certificate issuance policy (DPS certificate management): a device that
/// registers under the entry with a CSR gets a leaf from <see cref="IssuerName"/>, valid for
/// <see cref="Validity"/> (cut to the issuer's own validity). Stored as
/// <c>{"issuerName": "...", "certificateValidity": "365d"}</c>.
/// </summary>
/// <param name="IssuerName">The endpoint's issuing CA (<c>provisioning-endpoint issuer import</c>).</param>
/// <param name="Validity">The lifetime of the leaves it issues.</param>
public sealed record CertificateIssuancePolicy(string IssuerName, TimeSpan Validity)
{
    /// <summary>The policy as the store keeps it.</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("issuerName", IssuerName);
            writer.WriteString("certificateValidity", ValidityPeriod.Format(Validity));
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>A stored policy; null for none.</summary>
    /// <exception cref="JsonException">The stored text is not a policy (a damaged store).</exception>
    public static CertificateIssuancePolicy? FromJson(string? json)
    {
        if (string.IsNullOrEmpty(json))
            return null;
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var issuer = root.GetProperty("issuerName").GetString() ?? throw new JsonException("a stored issuance policy has no issuerName");
        var validity = root.GetProperty("certificateValidity").GetString() ?? throw new JsonException("a stored issuance policy has no certificateValidity");
        return new CertificateIssuancePolicy(issuer, ValidityPeriod.Parse(validity));
    }
}
