namespace DeviceAgent.Pki.Chains.Checks;

/// <summary>
/// The leaf is an end-entity certificate: no basicConstraints, or cA FALSE (RFC 5280 4.2.1.9).
/// A device presenting a CA certificate as its identity could issue identities of its own.
/// </summary>
internal sealed class LeafIsEndEntityCheck : IChainCheck
{
    public string Name => "leaf-end-entity";

    public ChainCheckResult Run(ChainUnderValidation chain)
    {
        var leaf = chain.Leaf;
        if (leaf.IsCa)
        {
            return ChainCheckResult.From(Name,
                [leaf.Violates(ChainRule.LeafIsCa, "it is the leaf but its basicConstraints says cA=TRUE; a device certificate must be an end-entity certificate")], "");
        }

        return ChainCheckResult.Passed(Name, "the leaf is an end-entity certificate");
    }
}
