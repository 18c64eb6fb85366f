using System.Formats.Asn1;
using System.Security.Cryptography;
using DeviceAgent.Keys.Pkcs11.Native;

namespace DeviceAgent.Keys.Pkcs11;

// Reading the public half of a key pair.
public sealed unsafe partial class Pkcs11Session
{
    /// <summary>
    /// Reads the public key of a private key object: RSA from the private object's CKA_MODULUS and
    /// CKA_PUBLIC_EXPONENT; EC from the public key object with the same CKA_ID (PKCS#11 private EC
    /// key objects carry no CKA_EC_POINT).
    /// </summary>
    /// <exception cref="KeyCustodyException"><see cref="KeyCustodyError.UnsupportedKey"/> for other
    /// key types or curves; <see cref="KeyCustodyError.KeyNotFound"/> when the EC public key object is missing.</exception>
    /// <exception cref="Pkcs11Exception">The token refused.</exception>
    public DevicePublicKey ReadPublicKey(Pkcs11ObjectHandle privateKey)
    {
        var keyType = GetUnsigned(privateKey, CKA.CKA_KEY_TYPE);
        return keyType switch
        {
            CKK.CKK_RSA => ReadRsaPublicKey(privateKey),
            CKK.CKK_EC => ReadEcPublicKey(privateKey),
            _ => throw new KeyCustodyException(KeyCustodyError.UnsupportedKey,
                $"key type 0x{keyType:X} is neither CKK_RSA nor CKK_EC"),
        };
    }

    private DevicePublicKey ReadRsaPublicKey(Pkcs11ObjectHandle key)
    {
        var modulus = GetAttribute(key, CKA.CKA_MODULUS) ?? throw MissingAttribute("CKA_MODULUS");
        var exponent = GetAttribute(key, CKA.CKA_PUBLIC_EXPONENT) ?? throw MissingAttribute("CKA_PUBLIC_EXPONENT");
        using var rsa = RSA.Create(new RSAParameters { Modulus = TrimLeadingZeros(modulus), Exponent = TrimLeadingZeros(exponent) });
        var algorithm = rsa.KeySize switch
        {
            2048 => KeyAlgorithm.Rsa2048,
            3072 => KeyAlgorithm.Rsa3072,
            _ => throw new KeyCustodyException(KeyCustodyError.UnsupportedKey, $"RSA keys of {rsa.KeySize} bits are not supported; use 2048 or 3072"),
        };
        return new DevicePublicKey(algorithm, rsa.ExportSubjectPublicKeyInfo());
    }

    private DevicePublicKey ReadEcPublicKey(Pkcs11ObjectHandle privateKey)
    {
        var parameters = GetAttribute(privateKey, CKA.CKA_EC_PARAMS) ?? throw MissingAttribute("CKA_EC_PARAMS");
        var (algorithm, curve, size) = parameters.AsSpan().SequenceEqual(s_p256Oid) ? (KeyAlgorithm.EcP256, ECCurve.NamedCurves.nistP256, 32)
            : parameters.AsSpan().SequenceEqual(s_p384Oid) ? (KeyAlgorithm.EcP384, ECCurve.NamedCurves.nistP384, 48)
            : throw new KeyCustodyException(KeyCustodyError.UnsupportedKey,
                $"the key's curve ({Convert.ToHexString(parameters)}) is not P-256 or P-384");

        var point = GetAttribute(privateKey, CKA.CKA_EC_POINT) ?? ReadEcPointOfPublicObject(privateKey);
        var q = DecodeEcPoint(point, size);
        using var ec = ECDsa.Create(new ECParameters { Curve = curve, Q = new ECPoint { X = q[1..(1 + size)], Y = q[(1 + size)..] } });
        return new DevicePublicKey(algorithm, ec.ExportSubjectPublicKeyInfo());
    }

    private byte[] ReadEcPointOfPublicObject(Pkcs11ObjectHandle privateKey)
    {
        var id = GetAttribute(privateKey, CKA.CKA_ID);
        var label = GetLabel(privateKey);
        using var template = new AttributeTemplate().Add(CKA.CKA_CLASS, CKO.CKO_PUBLIC_KEY);
        if (id is { Length: > 0 })
            template.Add(CKA.CKA_ID, id);
        else if (label is not null)
            template.Add(CKA.CKA_LABEL, label);
        var candidates = FindObjects(template);
        foreach (var candidate in candidates)
        {
            if (GetAttribute(candidate, CKA.CKA_EC_POINT) is { } point)
                return point;
        }
        throw new KeyCustodyException(KeyCustodyError.KeyNotFound,
            $"the public key object of private key '{label}' (id {(id is null ? "none" : Convert.ToHexString(id))}) is missing from the token; " +
            "the public key cannot be read without it");
    }

    // CKA_EC_POINT is a DER OCTET STRING holding the X9.62 uncompressed point (PKCS#11 v2.40
    // section 2.3.3); some modules return the bare point. Accept both.
    private static byte[] DecodeEcPoint(byte[] value, int size)
    {
        var raw = value;
        if (!(value.Length == 1 + 2 * size && value[0] == 0x04))
        {
            try
            {
                raw = AsnDecoder.ReadOctetString(value, AsnEncodingRules.DER, out _);
            }
            catch (AsnContentException e)
            {
                throw new KeyCustodyException(KeyCustodyError.UnsupportedKey, "CKA_EC_POINT is neither a DER OCTET STRING nor a point", e);
            }
        }
        if (raw.Length != 1 + 2 * size || raw[0] != 0x04)
            throw new KeyCustodyException(KeyCustodyError.UnsupportedKey, "CKA_EC_POINT is not an uncompressed point (X9.62 0x04 || X || Y)");
        return raw;
    }

    private static byte[] TrimLeadingZeros(byte[] value)
    {
        var i = 0;
        while (i < value.Length - 1 && value[i] == 0)
            i++;
        return value[i..];
    }

    private static KeyCustodyException MissingAttribute(string name) =>
        new(KeyCustodyError.UnsupportedKey, $"the key object has no {name}");
}
