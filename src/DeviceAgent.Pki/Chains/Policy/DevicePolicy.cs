using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Pki.Registration;
using DeviceAgent.Pki.Requests;

namespace DeviceAgent.Pki.Chains.Policy;

/// <summary>
/// What DPS and a current TLS stack accept from a device, judged in one place for every front end
/// that takes a chain or a registration id: the endpoint's DPS listener (a presented chain), its
/// REST API (enrollment and CA certificates, registration ids in paths), and bringup (bundles,
/// CA imports, requests). The rules:
/// <list type="bullet">
/// <item>every certificate's key: RSA of 2048 bits or more, or EC on P-256 or P-384
/// (<see cref="KeyStrengthPolicy"/>; OpenSSL 3 security level 2 requires 112-bit security, NIST SP
/// 800-57 table 2), the trust anchor's included, as OpenSSL checks every key of the chain;</item>
/// <item>every signature but a self-signed anchor's own: ECDSA or RSA over SHA-256/384/512
/// (<see cref="SignatureAlgorithmPolicy"/>); a trust anchor's self-signature protects nothing, and
/// OpenSSL does not check it by default (X509_V_FLAG_CHECK_SS_SIGNATURE);</item>
/// <item>the registration id: the DPS rules of <see cref="RegistrationId"/>.</item>
/// </list>
/// Each refusal carries the DPS error code a front end answers with. Thread-safe (stateless).
/// </summary>
public static class DevicePolicy
{
    /// <summary>DPS's code for a request that cannot be validated (a bad registration id, a certificate upload DPS refuses).</summary>
    public const int InvalidRequestErrorCode = 400004;

    /// <summary>DPS's code for a device that fails attestation (its chain breaks the policy).</summary>
    public const int AttestationFailedErrorCode = 401002;

    /// <summary>
    /// Judges each certificate of a chain in chain order (leaf first, each issued by the next).
    /// Returns every violation (rule <see cref="ChainRule.KeyStrength"/> or
    /// <see cref="ChainRule.SignatureAlgorithm"/>), empty when the chain is acceptable.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="chain"/> is null.</exception>
    public static IReadOnlyList<ChainViolation> JudgeChain(IReadOnlyList<X509Certificate2> chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var violations = new List<ChainViolation>();
        for (var i = 0; i < chain.Count; i++)
        {
            var role = i == 0 ? CertificateRole.Leaf
                : i == chain.Count - 1 && CertificateSignature.IsSelfSigned(chain[i]) ? CertificateRole.Root
                : CertificateRole.Intermediate;
            violations.AddRange(JudgeCertificate(chain[i], CertificateIdentity.Of(chain[i], i + 1, role)));
        }
        return violations;
    }

    /// <summary>Judges one certificate's key and, unless its role is <see cref="CertificateRole.Root"/> (a self-signed anchor), its signature algorithm.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static IEnumerable<ChainViolation> JudgeCertificate(X509Certificate2 certificate, CertificateIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(identity);
        var key = KeyStrengthPolicy.Judge(certificate.PublicKey);
        if (!key.IsAcceptable)
            yield return new ChainViolation(ChainRule.KeyStrength, identity, $"its key ({key.Description}) is refused: {key.Weakness}");
        if (identity.Role != CertificateRole.Root && SignatureAlgorithmPolicy.Judge(certificate).Weakness is { } weakness)
            yield return new ChainViolation(ChainRule.SignatureAlgorithm, identity, weakness);
    }

    /// <summary>What is wrong with a registration id by DPS's rules; null when nothing is.</summary>
    /// <param name="registrationId">The id.</param>
    /// <param name="x509">True for an X.509 device (the id is the leaf's subject CN, 64 characters at most).</param>
    public static string? JudgeRegistrationId(string? registrationId, bool x509 = true) =>
        RegistrationId.FindProblem(registrationId, x509);

    /// <summary>One message for a list of violations: the first, and how many more.</summary>
    /// <exception cref="ArgumentException"><paramref name="violations"/> is empty.</exception>
    public static string Describe(IReadOnlyList<ChainViolation> violations)
    {
        ArgumentNullException.ThrowIfNull(violations);
        if (violations.Count == 0)
            throw new ArgumentException("at least one violation is needed", nameof(violations));
        return violations.Count == 1
            ? violations[0].Message
            : FormattableString.Invariant($"{violations[0].Message} (and {violations.Count - 1} more: {string.Join("; ", violations.Skip(1).Select(v => v.Message))})");
    }
}
