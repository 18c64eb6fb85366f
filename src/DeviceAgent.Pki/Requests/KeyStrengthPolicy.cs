using System.Formats.Asn1;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Pki.Chains;

namespace DeviceAgent.Pki.Requests;

/// <summary>A public key's type in words ("EC P-256", "RSA 3072") and whether it is strong enough to certify.</summary>
/// <param name="Description">The key type in words.</param>
/// <param name="Weakness">Why the key is refused; null when it is accepted.</param>
public sealed record KeyStrength(string Description, string? Weakness)
{
    /// <summary>True when the key may be certified.</summary>
    public bool IsAcceptable => Weakness is null;
}

/// <summary>
/// Which keys this CA certifies: ECDSA on NIST P-256 or P-384 (RFC 5480 2.1.1.1; the curves that
/// TPMs, HSMs and DPS's TLS stack share), and RSA with a modulus of at least 2048 bits
/// (NIST SP 800-57 Part 1 Rev. 5 table 2: below 2048 bits gives less than 112-bit security).
/// Everything else is refused with a reason.
/// </summary>
public static class KeyStrengthPolicy
{
    /// <summary>The smallest RSA modulus accepted.</summary>
    public const int MinimumRsaBits = 2048;

    /// <summary>The largest RSA modulus accepted (bigger moduli are legal but no device token makes them).</summary>
    public const int MaximumRsaBits = 8192;

    /// <summary>
    /// Describes and judges a public key from its SubjectPublicKeyInfo alone (no key object is made:
    /// OpenSSL 3 makes them slowly, and a CA judges a key per certificate). Never throws for an
    /// unsupported or unreadable key: it is reported as a weakness.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    public static KeyStrength Judge(PublicKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        try
        {
            switch (key.Oid.Value)
            {
                case "1.2.840.10045.2.1": // RFC 5480 2.1.1 id-ecPublicKey; parameters = namedCurve OID
                {
                    var parameters = new AsnReader(key.EncodedParameters?.RawData ?? [], AsnEncodingRules.DER);
                    if (parameters.PeekTag() != Asn1Tag.ObjectIdentifier)
                        return new KeyStrength("EC (explicit curve)", "explicit curve parameters are not supported; use the named curve P-256 or P-384 (RFC 5480 2.1.1)");
                    var curve = SubjectPublicKey.CurveName(ECCurve.CreateFromValue(parameters.ReadObjectIdentifier()));
                    var description = "EC " + curve;
                    return curve is "P-256" or "P-384"
                        ? new KeyStrength(description, null)
                        : new KeyStrength(description, $"the curve {curve} is not supported; use P-256 or P-384 (RFC 5480 2.1.1.1 named curves secp256r1, secp384r1)");
                }
                case "1.2.840.113549.1.1.1": // RFC 3279 2.3.1 rsaEncryption; RSAPublicKey ::= SEQUENCE { modulus, publicExponent }
                {
                    var modulus = new AsnReader(key.EncodedKeyValue.RawData, AsnEncodingRules.DER).ReadSequence().ReadIntegerBytes().Span;
                    while (modulus.Length > 1 && modulus[0] == 0)
                        modulus = modulus[1..];
                    var bits = modulus.IsEmpty ? 0 : ((modulus.Length - 1) * 8) + (8 - System.Numerics.BitOperations.LeadingZeroCount((uint)modulus[0]) + 24);
                    var description = string.Create(CultureInfo.InvariantCulture, $"RSA {bits}");
                    if (bits < MinimumRsaBits)
                        return new KeyStrength(description, string.Create(CultureInfo.InvariantCulture, $"an RSA key of {bits} bits is too weak; at least {MinimumRsaBits} bits are required (NIST SP 800-57 Part 1 Rev. 5, table 2)"));
                    if (bits > MaximumRsaBits)
                        return new KeyStrength(description, string.Create(CultureInfo.InvariantCulture, $"an RSA key of {bits} bits is larger than the {MaximumRsaBits} bits supported"));
                    return new KeyStrength(description, null);
                }
            }
        }
        catch (AsnContentException e)
        {
            return new KeyStrength(key.Oid.FriendlyName ?? key.Oid.Value ?? "unknown key", $"the key cannot be read ({e.Message})");
        }
        var name = key.Oid.FriendlyName ?? key.Oid.Value ?? "unknown algorithm";
        return new KeyStrength(name, $"{name} keys are not supported; use EC P-256, EC P-384 or RSA (2048 bits or more)");
    }

    /// <summary>Describes and judges the public half of a key object.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    public static KeyStrength Judge(AsymmetricAlgorithm key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Judge(PublicKey.CreateFromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), out _));
    }
}
