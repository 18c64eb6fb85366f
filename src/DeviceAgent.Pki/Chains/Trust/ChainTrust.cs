using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DeviceAgent.Pki.Chains.Trust;

/// <summary>
/// Builds and checks a chain to a set of trust anchors with .NET's X509Chain: the anchors are the
/// only roots trusted (custom root trust, not the system store), the intermediates are the ones
/// given (never fetched: certificate downloads are disabled, so a client's AIA URL is not
/// followed), and revocation is not checked (DPS does not check CRLs; it blocks by disabling
/// enrollments). The provisioning endpoint validates the chains devices present with it.
/// </summary>
public static class ChainTrust
{
    /// <summary>The clientAuth extended key usage (RFC 5280 4.2.1.12), for the requiredUsage of <see cref="Evaluate"/>.</summary>
    public static Oid ClientAuthentication => new("1.3.6.1.5.5.7.3.2", "clientAuth");

    /// <summary>The serverAuth extended key usage (RFC 5280 4.2.1.12).</summary>
    public static Oid ServerAuthentication => new("1.3.6.1.5.5.7.3.1", "serverAuth");

    /// <summary>Builds the chain from <paramref name="leaf"/> to one of <paramref name="trustAnchors"/>.</summary>
    /// <param name="leaf">The end-entity certificate.</param>
    /// <param name="intermediates">Certificates the path may use between the leaf and an anchor (the ones the peer presented).</param>
    /// <param name="trustAnchors">The only certificates trusted as roots.</param>
    /// <param name="verificationTime">The instant validity periods are checked against.</param>
    /// <param name="requiredUsage">An extended key usage every certificate of the path must allow (when it restricts usage), or null.</param>
    /// <returns>The outcome, which owns the path's certificates: dispose it.</returns>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="requiredUsage"/> is null.</exception>
    /// <exception cref="CryptographicException">The platform could not build a chain at all.</exception>
    public static ChainTrustResult Evaluate(
        X509Certificate2 leaf, IEnumerable<X509Certificate2> intermediates, X509Certificate2Collection trustAnchors,
        DateTimeOffset verificationTime, Oid? requiredUsage = null)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        ArgumentNullException.ThrowIfNull(intermediates);
        using var chain = new X509Chain { ChainPolicy = CreatePolicy(trustAnchors, verificationTime, requiredUsage) };
        chain.ChainPolicy.ExtraStore.AddRange(intermediates.ToArray());
        var built = chain.Build(leaf);
        return Interpret(chain, built, copyCertificates: false);
    }

    /// <summary>
    /// The policy <see cref="Evaluate"/> builds with, for a chain that someone else builds: a TLS
    /// stack (<c>SslServerAuthenticationOptions.CertificateChainPolicy</c>) then judges the chain
    /// its peer presented in the same pass, and <see cref="Interpret"/> reads the outcome. Give
    /// every build its own policy: the builder adds the presented certificates to its ExtraStore.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="trustAnchors"/> is null.</exception>
    public static X509ChainPolicy CreatePolicy(X509Certificate2Collection trustAnchors, DateTimeOffset verificationTime, Oid? requiredUsage = null)
    {
        ArgumentNullException.ThrowIfNull(trustAnchors);
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            DisableCertificateDownloads = true,
            RevocationMode = X509RevocationMode.NoCheck,
            VerificationTime = verificationTime.UtcDateTime,
            VerificationTimeIgnored = false,
        };
        policy.CustomTrustStore.AddRange(trustAnchors);
        if (requiredUsage is not null)
            policy.ApplicationPolicy.Add(requiredUsage);
        return policy;
    }

    /// <summary>The outcome of a chain built with a policy from <see cref="CreatePolicy"/>.</summary>
    /// <param name="chain">The chain after its build.</param>
    /// <param name="built">What the build returned.</param>
    /// <param name="copyCertificates">True when the chain's owner disposes it (and its certificates) afterwards: the result then owns copies.</param>
    /// <exception cref="ArgumentNullException"><paramref name="chain"/> is null.</exception>
    public static ChainTrustResult Interpret(X509Chain chain, bool built, bool copyCertificates)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var path = chain.ChainElements
            .Select(e => copyCertificates ? X509CertificateLoader.LoadCertificate(e.Certificate.RawData) : e.Certificate)
            .ToArray();
        var problems = new List<ChainTrustProblem>();
        for (var i = 0; i < chain.ChainElements.Count; i++)
        {
            foreach (var status in chain.ChainElements[i].ChainElementStatus.Where(s => s.Status != X509ChainStatusFlags.NoError))
                problems.Add(new ChainTrustProblem(path[i], i, status.Status, status.StatusInformation.Trim()));
        }

        // Chain-wide statuses that no element carries (a partial chain) belong to the last certificate reached.
        foreach (var status in chain.ChainStatus.Where(s => s.Status != X509ChainStatusFlags.NoError && problems.TrueForAll(p => p.Status != s.Status)))
            problems.Add(new ChainTrustProblem(path[^1], path.Length - 1, status.Status, status.StatusInformation.Trim()));

        return new ChainTrustResult(built && problems.Count == 0, path, problems);
    }
}
