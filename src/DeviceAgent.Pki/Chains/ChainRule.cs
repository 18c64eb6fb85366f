namespace DeviceAgent.Pki.Chains;

/// <summary>
/// The rules a device chain must satisfy; each failure names one. <see cref="ChainRules.Citation"/>
/// gives the specification each rule comes from.
/// </summary>
public enum ChainRule
{
    /// <summary>Not set (an exception made with a standard constructor).</summary>
    Unspecified,

    /// <summary>The certificates chain, but not in the order the bundle lists them: leaf first, then each certificate's issuer.</summary>
    BundleOrder,

    /// <summary>A certificate's issuer name is not the subject name of the certificate after it.</summary>
    IssuerName,

    /// <summary>A certificate's signature does not verify with the public key of the certificate after it.</summary>
    Signature,

    /// <summary>A certificate that issues another is not a CA certificate (basicConstraints cA is not TRUE).</summary>
    IssuerIsCa,

    /// <summary>A certificate that issues another has a keyUsage without keyCertSign.</summary>
    IssuerKeyUsage,

    /// <summary>A CA certificate's pathLenConstraint allows fewer intermediate CA certificates below it than the chain has.</summary>
    PathLength,

    /// <summary>A certificate's notBefore is after the validation time.</summary>
    NotYetValid,

    /// <summary>A certificate's notAfter is before the validation time.</summary>
    Expired,

    /// <summary>The leaf is a CA certificate (basicConstraints cA is TRUE).</summary>
    LeafIsCa,

    /// <summary>The leaf has a keyUsage without digitalSignature, so it cannot sign a TLS CertificateVerify.</summary>
    LeafKeyUsage,

    /// <summary>The leaf has an extKeyUsage without clientAuth.</summary>
    LeafClientAuth,

    /// <summary>A CA certificate of the chain has an extKeyUsage without clientAuth, which TLS servers apply along the chain.</summary>
    IssuerClientAuth,

    /// <summary>The leaf's public key is not the device key's public key.</summary>
    LeafKeyMatch,

    /// <summary>The chain does not build to one of the given trust anchors (X509Chain with custom root trust).</summary>
    TrustAnchor,

    /// <summary>A certificate's key is weaker than DPS and OpenSSL 3's default security level accept (RSA below 2048 bits, an EC curve other than P-256/P-384).</summary>
    KeyStrength,

    /// <summary>A certificate is signed with an algorithm OpenSSL 3's default security level refuses (SHA-1, MD5, DSA) or one not supported.</summary>
    SignatureAlgorithm,
}
