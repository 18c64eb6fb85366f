using DeviceAgent.Pki.Chains.Checks;

namespace DeviceAgent.Pki.Chains;

/// <summary>
/// Validates a device's chain bundle before it is used for TLS: the order and linkage of the
/// certificates, that the issuers are CAs allowed to issue, path lengths, validity periods, that
/// the leaf is an end entity allowed to sign and to authenticate a TLS client, that it carries the
/// device key, that its keys and signatures meet the <see cref="Policy.DevicePolicy"/>, and optionally that the chain builds to given trust anchors. Every check runs, so a
/// report names every problem at once. Thread-safe.
/// </summary>
public sealed class ChainBundleValidator
{
    private static readonly IChainCheck[] s_checks =
    [
        new BundleOrderCheck(),
        new IssuersAreCaCheck(),
        new PathLengthCheck(),
        new ValidityPeriodCheck(),
        new LeafIsEndEntityCheck(),
        new LeafKeyUsageCheck(),
        new ClientAuthUsageCheck(),
        new LeafKeyCheck(),
        new DevicePolicyCheck(),
        new TrustAnchorCheck(),
    ];

    private readonly TimeProvider _clock;

    /// <summary>Creates a validator that checks validity periods against <paramref name="clock"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="clock"/> is null.</exception>
    public ChainBundleValidator(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        _clock = clock;
    }

    /// <summary>Creates a validator that checks validity periods against the system clock.</summary>
    public ChainBundleValidator()
        : this(TimeProvider.System)
    {
    }

    /// <summary>The names of the checks, in the order reports list them.</summary>
    public static IReadOnlyList<string> CheckNames { get; } = [.. s_checks.Select(c => c.Name)];

    /// <summary>Runs every check and reports each as passed, failed or skipped.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="bundle"/> is null.</exception>
    /// <remarks>
    /// When the bundle's certificates chain in another order than the bundle's, the "order" check
    /// fails and the other checks run on the order found, so that the report says everything
    /// else that is wrong too.
    /// </remarks>
    public ChainValidationReport Validate(ChainBundle bundle, ChainValidationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var chain = new ChainUnderValidation(bundle, _clock.GetUtcNow(), options ?? new ChainValidationOptions());
        return new ChainValidationReport(bundle.SourceName, chain.Now, [.. s_checks.Select(c => c.Run(chain))]);
    }

    /// <summary>Runs every check and throws for the first broken rule.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="bundle"/> is null.</exception>
    /// <exception cref="ChainValidationException">A rule is broken; the exception names the certificate and the rule, and lists every violation.</exception>
    public void ValidateOrThrow(ChainBundle bundle, ChainValidationOptions? options = null) =>
        Validate(bundle, options).ThrowIfInvalid();
}
