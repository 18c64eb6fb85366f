namespace DeviceAgent.Pki.ProofOfPossession;

/// <summary>Why a verification certificate does not prove possession of a CA's key.</summary>
public enum ProofOfPossessionProblem
{
    /// <summary>The subject CN is not the verification code.</summary>
    SubjectMismatch,
    /// <summary>The issuer name is not the CA certificate's subject (RFC 5280 6.1.3 (a)(4)).</summary>
    IssuerMismatch,
    /// <summary>The signature does not verify with the CA certificate's public key (RFC 5280 6.1.3 (a)(1)): someone else's key signed it.</summary>
    BadSignature,
    /// <summary>It is not valid yet (RFC 5280 4.1.2.5).</summary>
    NotYetValid,
    /// <summary>It has expired (RFC 5280 4.1.2.5).</summary>
    Expired,
}
