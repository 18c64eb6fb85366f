using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Pki.Chains.Checks;
using DeviceAgent.TestPeers;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DeviceAgent.Pki.Tests.Properties;

/// <summary>A permutation of the indexes 0..4 of a five-certificate chain.</summary>
public sealed record ChainPermutation(int[] Order);

/// <summary>Generators of bundle orders.</summary>
public static class ChainPermutationArbitraries
{
    public static Arbitrary<ChainPermutation> Permutation() =>
        Gen.Shuffle(Enumerable.Range(0, ChainOrderingProperties.Chain.Count).ToArray()).Select(o => new ChainPermutation([.. o])).ToArbitrary();
}

/// <summary>
/// Invariants of <see cref="ChainOrdering"/>: whatever order a bundle lists the certificates of
/// one chain (leaf, three intermediates, root) in, the chain order found is leaf first, then each
/// issuer; the bundle is "in order" exactly when it already lists them so.
/// </summary>
[Properties(Arbitrary = [typeof(ChainPermutationArbitraries)], MaxTest = 200)]
public sealed class ChainOrderingProperties
{
    private static readonly Lazy<IReadOnlyList<X509Certificate2>> s_chain = new(() =>
    {
        var root = TestCa.CreateRoot("Ordering Root");
        var a = root.IssueIntermediate("Ordering A");
        var b = a.IssueIntermediate("Ordering B");
        var c = b.IssueIntermediate("Ordering C");
        var device = c.IssueDevice("ordering-device");
        return [device.Leaf, c.Certificate, b.Certificate, a.Certificate, root.Certificate];
    });

    /// <summary>Leaf, C, B, A, root: each issued by the next.</summary>
    internal static IReadOnlyList<X509Certificate2> Chain => s_chain.Value;

    [Property]
    public bool Any_bundle_order_is_put_back_in_chain_order(ChainPermutation permutation)
    {
        var bundle = permutation.Order.Select(i => Chain[i]).ToList();

        var ordering = ChainOrdering.Of(bundle);

        var found = ordering.ChainOrder!.Select(i => bundle[i]).ToList();
        return found.SequenceEqual(Chain)
            && ordering.BundleIsInOrder == permutation.Order.SequenceEqual(Enumerable.Range(0, Chain.Count));
    }

    [Property]
    public bool Issued_by_holds_exactly_between_neighbours_and_only_the_root_is_self_signed(ChainPermutation permutation)
    {
        var bundle = permutation.Order.Select(i => Chain[i]).ToList();
        var ordering = ChainOrdering.Of(bundle);
        for (var s = 0; s < bundle.Count; s++)
        {
            for (var i = 0; i < bundle.Count; i++)
            {
                var (subject, issuer) = (permutation.Order[s], permutation.Order[i]);
                var expected = issuer == subject + 1 || (subject == issuer && subject == Chain.Count - 1);
                if (ordering.IsIssuedBy(s, i) != expected)
                    return false;
            }
        }
        return true;
    }
}
