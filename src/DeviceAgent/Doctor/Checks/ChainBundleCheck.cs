using DeviceAgent.Pki.Chains;

namespace DeviceAgent.Doctor.Checks;

/// <summary>
/// The chain bundle reads, is in order (leaf, then each issuer), every issuer is a CA, all are
/// within their validity, the leaf allows clientAuth, and the leaf certifies the device key.
/// </summary>
internal sealed class ChainBundleCheck : IDoctorCheck
{
    public string Id => "chain";

    public string Title => "chain bundle is valid and matches the key";

    public Task<DoctorCheckResult> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        ChainBundle bundle;
        try
        {
            bundle = ChainBundle.Load(context.Settings.ChainPath);
        }
        catch (ChainBundleFormatException e)
        {
            return this.Failed(e.Message).AsTask();
        }

        var options = new ChainValidationOptions
        {
            LeafKey = context.PublicKey is { } key
                ? ExpectedLeafKey.FromSubjectPublicKeyInfo(key.SubjectPublicKeyInfo.Span, $"the device key {context.Settings.Key}")
                : null,
        };
        var report = new ChainBundleValidator().Validate(bundle, options);
        if (!report.IsValid)
        {
            bundle.Dispose();
            return this.Failed(string.Join("\n", report.Violations.Select(v => v.Message))).AsTask();
        }

        context.Bundle = bundle;
        var intermediates = bundle.Intermediates.Count;
        var notAfter = bundle.Certificates.Min(c => c.NotAfter.ToUniversalTime());
        var detail = $"leaf \"{bundle.Leaf.Subject}\" (SHA-1 thumbprint {bundle.Leaf.Thumbprint}) + {intermediates} intermediate" +
            $"{(intermediates == 1 ? "" : "s")}, all valid until {notAfter:yyyy-MM-dd HH:mm}Z";
        if (intermediates == 0)
            return this.Warning($"{detail}; the bundle has no intermediate: a server that trusts only the root cannot build the path").AsTask();
        return context.PublicKey is null
            ? this.Warning($"{detail}; whether the leaf certifies the device key was not checked (the key could not be read)").AsTask()
            : this.Ok($"{detail}; the leaf certifies the device key").AsTask();
    }
}
