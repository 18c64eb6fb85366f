using System.Security.Cryptography.X509Certificates;

namespace DeviceAgent.Pki.Chains.Checks;

/// <summary>
/// What every check reads: the chain's certificates in chain order (leaf first, each issued by
/// the next when an order exists), how that order relates to the bundle's, the validation time
/// and the caller's options.
/// </summary>
internal sealed class ChainUnderValidation
{
    public ChainUnderValidation(ChainBundle bundle, DateTimeOffset now, ChainValidationOptions options)
    {
        Bundle = bundle;
        Now = now;
        Options = options;
        Ordering = ChainOrdering.Of(bundle.Certificates);
        var order = Ordering.ChainOrder ?? [.. Enumerable.Range(0, bundle.Certificates.Count)];
        var last = order[^1];
        var hasRoot = order.Length >= 2 && Ordering.IsSelfSigned(last);
        Members = [.. order.Select((bundleIndex, chainIndex) => new ChainMember(
            bundle.Certificates[bundleIndex],
            bundleIndex + 1,
            chainIndex == 0 ? CertificateRole.Leaf : hasRoot && chainIndex == order.Length - 1 ? CertificateRole.Root : CertificateRole.Intermediate))];
        InBundleOrder = [.. Members.OrderBy(m => m.Identity.BundlePosition)];
    }

    public ChainBundle Bundle { get; }

    public DateTimeOffset Now { get; }

    public ChainValidationOptions Options { get; }

    public ChainOrdering Ordering { get; }

    /// <summary>The certificates in chain order: the bundle's own order when it chains, the order found when it does not.</summary>
    public IReadOnlyList<ChainMember> Members { get; }

    /// <summary>The same members in the order the bundle lists them.</summary>
    public IReadOnlyList<ChainMember> InBundleOrder { get; }

    public ChainMember Leaf => Members[0];

    /// <summary>The certificates TLS sends after the leaf: every member but the leaf and the root.</summary>
    public IEnumerable<X509Certificate2> Intermediates =>
        Members.Skip(1).Where(m => m.Identity.Role == CertificateRole.Intermediate).Select(m => m.Certificate);

    /// <summary>The member that takes <paramref name="certificate"/>'s place, if it is one of the chain's.</summary>
    public ChainMember? Find(X509Certificate2 certificate) =>
        Members.FirstOrDefault(m => m.Certificate.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span));
}
