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
        ArgumentNullException.ThrowIfNull(trustAnchors);
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.AddRange(trustAnchors);
        policy.ExtraStore.AddRange(intermediates.ToArray());
        policy.DisableCertificateDownloads = true;
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.VerificationTime = verificationTime.UtcDateTime;
        policy.VerificationTimeIgnored = false;
        if (requiredUsage is not null)
            policy.ApplicationPolicy.Add(requiredUsage);

        var trusted = chain.Build(leaf);
        var path = chain.ChainElements.Select(e => e.Certificate).ToArray();
        var problems = new List<ChainTrustProblem>();
        for (var i = 0; i < chain.ChainElements.Count; i++)
        {
            foreach (var status in chain.ChainElements[i].ChainElementStatus.Where(s => s.Status != X509ChainStatusFlags.NoError))
                problems.Add(new ChainTrustProblem(path[i], i, status.Status, status.StatusInformation.Trim()));
        }

        // Chain-wide statuses that no element carries (a partial chain) belong to the last certificate reached.
        foreach (var status in chain.ChainStatus.Where(s => s.Status != X509ChainStatusFlags.NoError && problems.TrueForAll(p => p.Status != s.Status)))
            problems.Add(new ChainTrustProblem(path[^1], path.Length - 1, status.Status, status.StatusInformation.Trim()));

        return new ChainTrustResult(trusted && problems.Count == 0, path, problems);
    }
}
