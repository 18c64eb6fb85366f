namespace ProvisioningEndpoint.Issuance;

/// <summary>
/// The extended error codes of a refused certificate request (code / 1000 = HTTP status, as
/// every DPS error code). DPS's preview documents none of its own; these extend the endpoint's
/// 400004 (bad request) family, one code per reason, so a device or a script can tell them apart.
/// </summary>
public static class IssuanceErrorCodes
{
    /// <summary>The <c>csr</c> is not base64, or not a PKCS#10 request (RFC 2986 4).</summary>
    public const int NotACertificationRequest = 400040;

    /// <summary>The request's self-signature does not verify with its own key (RFC 2986 3).</summary>
    public const int BadSignature = 400041;

    /// <summary>The request's key is refused by the key strength policy.</summary>
    public const int WeakKey = 400042;

    /// <summary>The request's subject CN is not the registration id.</summary>
    public const int WrongCommonName = 400043;

    /// <summary>The entry that decided the registration issues no certificates (no issuance policy).</summary>
    public const int NoIssuancePolicy = 400044;

    /// <summary>The policy's issuer is missing or cannot sign (an operator's mistake; 500 family).</summary>
    public const int IssuerUnavailable = 500040;
}
