namespace DeviceAgent.Pki.Authority;

/// <summary>Why a CA operation was refused or failed, in terms an operator can act on.</summary>
public enum CertificateAuthorityError
{
    /// <summary>Not set (an exception made with a standard constructor).</summary>
    Unspecified,
    /// <summary>No CA of that name is in the store.</summary>
    NotFound,
    /// <summary>The CA name is not usable as a directory name.</summary>
    InvalidName,
    /// <summary>A different CA of that name already exists.</summary>
    AlreadyExists,
    /// <summary>The CA's key is not in the store (an imported certificate only): it cannot sign.</summary>
    NoKey,
    /// <summary>The certificate is not a CA certificate (RFC 5280 4.2.1.9 basicConstraints, 4.2.1.3 keyCertSign).</summary>
    NotACa,
    /// <summary>The private key is not the key of the CA's certificate.</summary>
    KeyMismatch,
    /// <summary>The key is too weak or of an unsupported type.</summary>
    WeakKey,
    /// <summary>The CA's certificate, or one above it, has expired (RFC 5280 4.1.2.5).</summary>
    Expired,
    /// <summary>The CA's certificate, or one above it, is not valid yet (RFC 5280 4.1.2.5).</summary>
    NotYetValid,
    /// <summary>A CA above would have more intermediates below it than its pathLenConstraint allows (RFC 5280 4.2.1.9).</summary>
    PathLengthExceeded,
    /// <summary>The chain from the CA to its root is incomplete or does not verify.</summary>
    BrokenChain,
    /// <summary>Another process holds the CA.</summary>
    Busy,
    /// <summary>A store file is unreadable or damaged.</summary>
    StoreCorrupt,
    /// <summary>The registration id was already issued a certificate.</summary>
    DuplicateRegistrationId,
    /// <summary>An output file exists and holds something else.</summary>
    OutputConflict,
    /// <summary>A device key's token attributes do not prove it was generated inside the token and can never leave it.</summary>
    KeyCustodyNotProven,
    /// <summary>A certificate or key to import is unreadable or unsuitable.</summary>
    ImportRefused,
    /// <summary>A certificate the CA produced fails its own validation (an integrity failure; never expected).</summary>
    IntegrityFailure,
}
