namespace DeviceAgent.Pki.Chains;

/// <summary>Why a chain bundle could not be read; carried by <see cref="ChainBundleFormatException"/>.</summary>
public enum ChainBundleProblem
{
    /// <summary>Not set (an exception made with a standard constructor).</summary>
    Unspecified,

    /// <summary>The file does not exist.</summary>
    FileNotFound,

    /// <summary>The file exists but cannot be read (permissions, I/O error, a directory).</summary>
    FileUnreadable,

    /// <summary>The file is empty or holds only whitespace.</summary>
    Empty,

    /// <summary>The file has text but no PEM block at all (it may be DER).</summary>
    NoCertificates,

    /// <summary>A PEM block holds a private key; a chain bundle holds certificates only.</summary>
    PrivateKey,

    /// <summary>A PEM block holds something other than a certificate (a CSR, a CRL, a public key).</summary>
    NotACertificate,

    /// <summary>The PEM armour is broken: a BEGIN without its END, an END without a BEGIN, mismatched labels.</summary>
    MalformedPem,

    /// <summary>The text between BEGIN and END is not valid base64.</summary>
    InvalidBase64,

    /// <summary>The base64 decodes, but not to a DER X.509 certificate.</summary>
    InvalidCertificate,

    /// <summary>The same certificate appears twice.</summary>
    DuplicateCertificate,
}
