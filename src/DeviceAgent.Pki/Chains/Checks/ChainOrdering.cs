using System.Security.Cryptography.X509Certificates;

namespace DeviceAgent.Pki.Chains.Checks;

/// <summary>
/// Which certificate of a bundle issued which (issuer name and signature, RFC 5280 6.1.3 (a)),
/// and an order in which they form one chain, leaf first, if there is one. Bundles are a handful
/// of certificates, so the search for an order simply tries every path.
/// </summary>
internal sealed class ChainOrdering
{
    private const int MaximumSearchedCertificates = 10;
    private readonly bool[,] _issuedBy;

    private ChainOrdering(bool[,] issuedBy, int[]? chainOrder, bool bundleIsInOrder)
    {
        _issuedBy = issuedBy;
        ChainOrder = chainOrder;
        BundleIsInOrder = bundleIsInOrder;
    }

    /// <summary>True when each certificate of the bundle is issued by the one after it.</summary>
    public bool BundleIsInOrder { get; }

    /// <summary>The bundle indices in chain order; null when the certificates do not form one chain.</summary>
    public int[]? ChainOrder { get; }

    /// <summary>Whether bundle certificate <paramref name="subject"/> was issued by bundle certificate <paramref name="issuer"/>.</summary>
    public bool IsIssuedBy(int subject, int issuer) => _issuedBy[subject, issuer];

    public bool IsSelfSigned(int index) => _issuedBy[index, index];

    public static ChainOrdering Of(IReadOnlyList<X509Certificate2> certificates)
    {
        var count = certificates.Count;
        var issuedBy = new bool[count, count];
        for (var subject = 0; subject < count; subject++)
        {
            for (var issuer = 0; issuer < count; issuer++)
                issuedBy[subject, issuer] = CertificateSignature.IsIssuedBy(certificates[subject], certificates[issuer]);
        }

        var inOrder = Enumerable.Range(0, count - 1).All(i => issuedBy[i, i + 1]);
        if (inOrder)
            return new ChainOrdering(issuedBy, [.. Enumerable.Range(0, count)], bundleIsInOrder: true);
        var found = count <= MaximumSearchedCertificates ? FindOrder(issuedBy, count) : null;
        return new ChainOrdering(issuedBy, found, bundleIsInOrder: false);
    }

    private static int[]? FindOrder(bool[,] issuedBy, int count)
    {
        var path = new List<int>(count);
        var used = new bool[count];
        for (var leaf = 0; leaf < count; leaf++)
        {
            if (Extend(leaf))
                return [.. path];
        }

        return null;

        bool Extend(int next)
        {
            path.Add(next);
            used[next] = true;
            if (path.Count == count)
                return true;
            for (var issuer = 0; issuer < count; issuer++)
            {
                if (!used[issuer] && issuedBy[next, issuer] && Extend(issuer))
                    return true;
            }

            path.RemoveAt(path.Count - 1);
            used[next] = false;
            return false;
        }
    }
}
