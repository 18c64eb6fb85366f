namespace DeviceAgent.Pki.Chains;

/// <summary>The place a certificate takes in a chain, from the device's end-entity up to the root.</summary>
public enum CertificateRole
{
    /// <summary>The end-entity (device) certificate: the first certificate of the chain.</summary>
    Leaf,

    /// <summary>A CA certificate between the leaf and the root; sent with the leaf in TLS.</summary>
    Intermediate,

    /// <summary>A self-signed CA certificate at the end of the chain; a trust anchor, not sent in TLS.</summary>
    Root,
}
