namespace DeviceAgent.Pki.Requests;

/// <summary>Why a certification request (PKCS#10, RFC 2986) is refused.</summary>
public enum CertificationRequestProblem
{
    /// <summary>Not set (an exception made with a standard constructor).</summary>
    Unspecified,

    /// <summary>The file is missing or unreadable.</summary>
    Unreadable,

    /// <summary>Not a PEM or DER PKCS#10 request.</summary>
    Malformed,

    /// <summary>The self-signature does not verify with the request's own public key (RFC 2986 3, step 3).</summary>
    BadSignature,

    /// <summary>The key is too weak or of an unsupported type.</summary>
    WeakKey,

    /// <summary>The subject has no common name, or one that is not a valid registration id.</summary>
    BadSubject,
}
