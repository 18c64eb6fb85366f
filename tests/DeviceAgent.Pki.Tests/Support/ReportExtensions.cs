using DeviceAgent.Pki.Chains;

namespace DeviceAgent.Pki.Tests.Support;

internal static class ReportExtensions
{
    public static ChainCheckResult Check(this ChainValidationReport report, string name) => report.Checks.Single(c => c.Name == name);

    /// <summary>The one violation a check found; fails when it found none or several.</summary>
    public static ChainViolation OnlyViolation(this ChainValidationReport report, string check)
    {
        var result = report.Check(check);
        Assert.Equal(ChainCheckStatus.Failed, result.Status);
        return Assert.Single(result.Violations);
    }

    /// <summary>Validates a bundle of <paramref name="certificates"/> at <see cref="TestPki.Now"/>.</summary>
    public static ChainValidationReport Validate(ChainValidationOptions? options, params TestIdentity[] certificates)
    {
        using var bundle = TestPki.Bundle(certificates);
        return TestPki.Validator.Validate(bundle, options);
    }

    public static ChainValidationReport Validate(params TestIdentity[] certificates) => Validate(null, certificates);
}
