using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DeviceAgent.Pki.Chains;

/// <summary>
/// The public key the chain's leaf must carry: the device key's, as read from the TPM/HSM. Keys
/// are compared as SubjectPublicKeyInfo DER (RFC 5280 4.1.2.7) after a round trip through .NET,
/// so two encodings of one key (say, an EC point written by a token and by a CA) compare equal.
/// </summary>
public sealed class ExpectedLeafKey
{
    private ExpectedLeafKey(SubjectPublicKey key, string description)
    {
        Key = key;
        Description = description;
    }

    /// <summary>Names the key in messages, e.g. "the token key pkcs11:token=device;object=identity".</summary>
    public string Description { get; }

    /// <summary>The key's SubjectPublicKeyInfo DER, in the canonical form keys are compared in.</summary>
    public ReadOnlyMemory<byte> SubjectPublicKeyInfo => Key.Canonical;

    internal SubjectPublicKey Key { get; }

    /// <summary>Expects the key with this SubjectPublicKeyInfo DER.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="description"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="subjectPublicKeyInfo"/> is not a SubjectPublicKeyInfo.</exception>
    public static ExpectedLeafKey FromSubjectPublicKeyInfo(ReadOnlySpan<byte> subjectPublicKeyInfo, string description)
    {
        ArgumentNullException.ThrowIfNull(description);
        try
        {
            return new ExpectedLeafKey(SubjectPublicKey.Read(subjectPublicKeyInfo), description);
        }
        catch (CryptographicException e)
        {
            throw new ArgumentException($"the public key of {description} is not a SubjectPublicKeyInfo ({e.Message})", nameof(subjectPublicKeyInfo), e);
        }
    }

    /// <summary>Expects <paramref name="key"/>.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The key cannot be exported as a SubjectPublicKeyInfo.</exception>
    public static ExpectedLeafKey FromPublicKey(PublicKey key, string description)
    {
        ArgumentNullException.ThrowIfNull(key);
        return FromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), description);
    }

    /// <summary>Expects the public part of <paramref name="key"/> (an <see cref="ECDsa"/> or <see cref="RSA"/>, private or public).</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The key cannot be exported as a SubjectPublicKeyInfo.</exception>
    public static ExpectedLeafKey FromKey(AsymmetricAlgorithm key, string description)
    {
        ArgumentNullException.ThrowIfNull(key);
        return FromSubjectPublicKeyInfo(key.ExportSubjectPublicKeyInfo(), description);
    }
}
