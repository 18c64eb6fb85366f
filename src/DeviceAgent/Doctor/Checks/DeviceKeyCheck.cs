using DeviceAgent.Keys;

namespace DeviceAgent.Doctor.Checks;

/// <summary>
/// The device key exists and its attributes prove it was generated on the token and can never
/// leave it (CKA_LOCAL, CKA_NEVER_EXTRACTABLE, CKA_ALWAYS_SENSITIVE, CKA_EXTRACTABLE=false).
/// </summary>
internal sealed class DeviceKeyCheck : IDoctorCheck
{
    public string Id => "device-key";

    public string Title => "device key exists and never left the token";

    public Task<DoctorCheckResult> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        var key = context.Settings.Key;
        if (context.IsTokenKey && this.SkipUnlessPassed(context, "pin", "PIN works") is { } skipped)
            return skipped.AsTask();
        if (context.IsTpmKey)
        {
            if (this.SkipUnlessPassed(context, "tpm", "TPM answers") is { } noTpm)
                return noTpm.AsTask();
            return TpmKeyCustody.Check(this, context).AsTask();
        }
        try
        {
            var backend = context.Backends.For(key);
            var publicKey = backend.GetPublicKey(key);
            context.PublicKey = publicKey;
            var name = $"{publicKey.Algorithm.Name()} key {Describe(key)} (public key SHA-256 {publicKey.Sha256Fingerprint[..16]}…)";
            if (backend is not IKeyCustodyInspector inspector)
                return this.Warning($"{name} is a software key in a file: it can be copied off the device; use it for development only").AsTask();

            var custody = inspector.ReadCustody(key);
            return custody.ProvesNonExportable
                ? this.Ok($"{name}: generated on the token (CKA_LOCAL), never extractable (CKA_NEVER_EXTRACTABLE, CKA_EXTRACTABLE=false), always sensitive").AsTask()
                : this.Failed($"{name}: {string.Join("; ", custody.Problems)}; generate a new key inside the token").AsTask();
        }
        catch (KeyCustodyException e)
        {
            return this.Failed(e.Message).AsTask();
        }
    }

    private static string Describe(KeyReference key) =>
        key.Pkcs11 is { } uri ? uri.DescribeObject() : $"in '{key.FilePath}'";
}
