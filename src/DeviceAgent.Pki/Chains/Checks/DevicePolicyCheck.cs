using DeviceAgent.Pki.Chains.Policy;

namespace DeviceAgent.Pki.Chains.Checks;

/// <summary>
/// Every key and signature of the bundle is one DPS and OpenSSL 3's default security level accept
/// (<see cref="DevicePolicy"/>): a bundle that passes every other check but would be refused by the
/// service or the TLS stack is reported here, before the device tries.
/// </summary>
internal sealed class DevicePolicyCheck : IChainCheck
{
    public string Name => "key-and-signature-strength";

    public ChainCheckResult Run(ChainUnderValidation chain)
    {
        var violations = chain.Members.SelectMany(m => DevicePolicy.JudgeCertificate(m.Certificate, m.Identity)).ToList();
        return ChainCheckResult.From(Name, violations, FormattableString.Invariant(
            $"{chain.Members.Count} certificate(s): keys RSA >= 2048 or EC P-256/P-384, signatures SHA-256 or stronger"));
    }
}
