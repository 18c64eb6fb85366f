namespace DeviceAgent.Pki.Chains;

/// <summary>Where each <see cref="ChainRule"/> comes from.</summary>
public static class ChainRules
{
    /// <summary>The specification (and section) that states <paramref name="rule"/>, e.g. "RFC 5280 4.2.1.9 basicConstraints".</summary>
    public static string Citation(ChainRule rule) => rule switch
    {
        ChainRule.BundleOrder => "RFC 8446 4.4.2 / RFC 5246 7.4.2 certificate_list order",
        ChainRule.IssuerName => "RFC 5280 6.1.3 (a)(4) issuer name chaining",
        ChainRule.Signature => "RFC 5280 6.1.3 (a)(1) signature verification",
        ChainRule.IssuerIsCa => "RFC 5280 4.2.1.9 basicConstraints",
        ChainRule.IssuerKeyUsage => "RFC 5280 4.2.1.3 keyUsage keyCertSign",
        ChainRule.PathLength => "RFC 5280 4.2.1.9 pathLenConstraint",
        ChainRule.NotYetValid or ChainRule.Expired => "RFC 5280 4.1.2.5 validity",
        ChainRule.LeafIsCa => "RFC 5280 4.2.1.9 basicConstraints (end entity)",
        ChainRule.LeafKeyUsage => "RFC 5280 4.2.1.3 keyUsage digitalSignature",
        ChainRule.LeafClientAuth => "RFC 5280 4.2.1.12 extKeyUsage id-kp-clientAuth",
        ChainRule.IssuerClientAuth => "RFC 5280 4.2.1.12 extKeyUsage, applied along the chain as OpenSSL (ssl_client purpose) and X509Chain do",
        ChainRule.LeafKeyMatch => "RFC 5280 4.1.2.7 subjectPublicKeyInfo; RFC 8446 4.4.3 CertificateVerify",
        ChainRule.TrustAnchor => "RFC 5280 6.1 path validation to a trust anchor",
        ChainRule.KeyStrength => "NIST SP 800-57 Part 1 Rev. 5 table 2 (112-bit security, OpenSSL 3 security level 2); RFC 5480 2.1.1.1 named curves",
        ChainRule.SignatureAlgorithm => "RFC 9155 (no MD5 or SHA-1 signatures in TLS 1.2); OpenSSL 3 default security level",
        _ => "unspecified",
    };
}
