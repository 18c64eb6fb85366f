using System.Security.Cryptography;

namespace DeviceAgent.Pki.Chains;

/// <summary>The names RFC 5280 4.2.1.12 gives the extended key usages a device chain meets; the OID for any other.</summary>
internal static class ExtendedKeyUsageNames
{
    public static string Of(Oid oid) => oid.Value switch
    {
        "1.3.6.1.5.5.7.3.1" => "serverAuth",
        "1.3.6.1.5.5.7.3.2" => "clientAuth",
        "1.3.6.1.5.5.7.3.3" => "codeSigning",
        "1.3.6.1.5.5.7.3.4" => "emailProtection",
        "1.3.6.1.5.5.7.3.8" => "timeStamping",
        "1.3.6.1.5.5.7.3.9" => "OCSPSigning",
        "2.5.29.37.0" => "anyExtendedKeyUsage",
        _ => oid.Value ?? "unknown",
    };
}
