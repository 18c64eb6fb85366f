namespace ProvisioningEndpoint.Rest.Wire;

// CA certificates, shaped as DPS's ARM certificate resources (Microsoft.Devices/provisioningServices/certificates)
// under /certificates on the REST port.

/// <summary>A certificate resource: <c>{"id", "name", "type", "etag", "properties": {...}}</c>.</summary>
internal sealed class CertificateResponseWire
{
    public string? Id { get; set; }

    public string? Name { get; set; }

    public string? Type { get; set; }

    public string? Etag { get; set; }

    public CertificatePropertiesWire? Properties { get; set; }
}

/// <summary>The certificate's properties (in a PUT body: <c>certificate</c>, optionally <c>isVerified: false</c>).</summary>
internal sealed class CertificatePropertiesWire
{
    public string? Subject { get; set; }

    public DateTimeOffset? Expiry { get; set; }

    public string? Thumbprint { get; set; }

    public bool? IsVerified { get; set; }

    /// <summary>PEM or base64 DER (requests); base64 DER (responses).</summary>
    public string? Certificate { get; set; }

    public DateTimeOffset? Created { get; set; }

    public DateTimeOffset? Updated { get; set; }

    /// <summary>The current verification code (generateVerificationCode responses only).</summary>
    public string? VerificationCode { get; set; }

    /// <summary>When the current verification code stops being accepted (local extension).</summary>
    public DateTimeOffset? VerificationCodeExpiry { get; set; }
}

/// <summary>The list: <c>{"value": [...]}</c>.</summary>
internal sealed class CertificateListWire
{
    public List<CertificateResponseWire> Value { get; set; } = [];
}

/// <summary>The verify body: <c>{"certificate": "PEM or base64 DER of the verification certificate"}</c>.</summary>
internal sealed class VerificationCertificateWire
{
    public string? Certificate { get; set; }
}
