using DeviceAgent.Keys.Pkcs11.Native;

namespace DeviceAgent.Keys.Pkcs11;

// Key pair generation inside the token (C_GenerateKeyPair).
public sealed unsafe partial class Pkcs11Session
{
    // DER-encoded namedCurve OIDs for CKA_EC_PARAMS (RFC 5480 section 2.1.1.1).
    internal static readonly byte[] s_p256Oid = [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07];
    internal static readonly byte[] s_p384Oid = [0x06, 0x05, 0x2B, 0x81, 0x04, 0x00, 0x22];

    /// <summary>
    /// Generates a key pair inside the token, as token objects, with a private key that is
    /// CKA_SENSITIVE, not CKA_EXTRACTABLE, and usable only to sign. Needs a read/write session,
    /// logged in.
    /// </summary>
    /// <param name="algorithm">Key type and size.</param>
    /// <param name="label">CKA_LABEL of both objects; must be unused on the token.</param>
    /// <param name="id">CKA_ID of both objects; random 16 bytes when empty.</param>
    /// <exception cref="KeyCustodyException"><see cref="KeyCustodyError.KeyAlreadyExists"/> when a
    /// private key with the label exists.</exception>
    /// <exception cref="Pkcs11Exception">The token refused, e.g. CKR_CURVE_NOT_SUPPORTED.</exception>
    public Pkcs11KeyPair GenerateKeyPair(KeyAlgorithm algorithm, string label, ReadOnlySpan<byte> id = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(label);
        var token = Slot.GetTokenInfo().Label;
        var existing = FindObjects(Pkcs11Uri.ForPrivateKey(token, label));
        if (existing.Count > 0)
        {
            throw new KeyCustodyException(KeyCustodyError.KeyAlreadyExists,
                $"token '{token}' already holds a private key labelled '{label}'; use it, or choose another label");
        }

        byte[] idBytes;
        if (id.IsEmpty)
        {
            idBytes = new byte[16];
            GenerateRandom(idBytes);
        }
        else
        {
            idBytes = id.ToArray();
        }

        using var publicTemplate = new AttributeTemplate()
            .Add(CKA.CKA_TOKEN, true)
            .Add(CKA.CKA_PRIVATE, false)
            .Add(CKA.CKA_VERIFY, true)
            .Add(CKA.CKA_LABEL, label)
            .Add(CKA.CKA_ID, idBytes);
        using var privateTemplate = new AttributeTemplate()
            .Add(CKA.CKA_TOKEN, true)
            .Add(CKA.CKA_PRIVATE, true)
            .Add(CKA.CKA_SENSITIVE, true)
            .Add(CKA.CKA_EXTRACTABLE, false)
            .Add(CKA.CKA_SIGN, true)
            .Add(CKA.CKA_LABEL, label)
            .Add(CKA.CKA_ID, idBytes);

        CK_MECHANISM mechanism;
        switch (algorithm)
        {
            case KeyAlgorithm.EcP256:
            case KeyAlgorithm.EcP384:
                mechanism = new CK_MECHANISM { mechanism = CKM.CKM_EC_KEY_PAIR_GEN };
                publicTemplate.Add(CKA.CKA_EC_PARAMS, algorithm == KeyAlgorithm.EcP256 ? s_p256Oid : s_p384Oid);
                break;
            case KeyAlgorithm.Rsa2048:
            case KeyAlgorithm.Rsa3072:
                mechanism = new CK_MECHANISM { mechanism = CKM.CKM_RSA_PKCS_KEY_PAIR_GEN };
                publicTemplate.Add(CKA.CKA_MODULUS_BITS, (nuint)algorithm.KeySize());
                publicTemplate.Add(CKA.CKA_PUBLIC_EXPONENT, [0x01, 0x00, 0x01]);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(algorithm));
        }

        nuint publicHandle, privateHandle;
        Pkcs11Module.Check(
            F->C_GenerateKeyPair(Handle, &mechanism,
                publicTemplate.Native, (nuint)publicTemplate.Count,
                privateTemplate.Native, (nuint)privateTemplate.Count,
                &publicHandle, &privateHandle),
            "C_GenerateKeyPair", $"{algorithm.Name()} on token '{token}'");
        return new Pkcs11KeyPair(new Pkcs11ObjectHandle((ulong)publicHandle), new Pkcs11ObjectHandle((ulong)privateHandle), label, idBytes);
    }

    /// <summary>Reads the attributes that prove where a private key came from.</summary>
    /// <exception cref="Pkcs11Exception">The token refused to answer.</exception>
    public KeyCustodyAttributes ReadCustodyAttributes(Pkcs11ObjectHandle privateKey) => new(
        GetBoolean(privateKey, CKA.CKA_TOKEN),
        GetBoolean(privateKey, CKA.CKA_SENSITIVE),
        GetBoolean(privateKey, CKA.CKA_EXTRACTABLE),
        GetBoolean(privateKey, CKA.CKA_ALWAYS_SENSITIVE),
        GetBoolean(privateKey, CKA.CKA_NEVER_EXTRACTABLE),
        GetBoolean(privateKey, CKA.CKA_LOCAL));
}
