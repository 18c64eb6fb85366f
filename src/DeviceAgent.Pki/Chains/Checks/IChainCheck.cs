namespace DeviceAgent.Pki.Chains.Checks;

/// <summary>One named check of a chain; stateless, so one instance serves every validation.</summary>
internal interface IChainCheck
{
    /// <summary>The stable name reports carry ("order", "validity").</summary>
    string Name { get; }

    ChainCheckResult Run(ChainUnderValidation chain);
}
