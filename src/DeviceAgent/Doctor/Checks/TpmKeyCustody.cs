using DeviceAgent.Keys;
using DeviceAgent.Tpm.Constants;

namespace DeviceAgent.Doctor.Checks;

/// <summary>
/// The custody of a <c>tpm:</c> key, from its TPMA_OBJECT (Part 2 8.3): made inside this TPM
/// (sensitiveDataOrigin), bound to it and to its parent (fixedTPM, fixedParent: it can never be
/// duplicated out), and a signing key.
/// </summary>
internal static class TpmKeyCustody
{
    private static readonly (TpmaObject Attribute, string Name, string Meaning)[] s_required =
    [
        (TpmaObject.FixedTpm, "fixedTPM", "it could be duplicated to another TPM"),
        (TpmaObject.FixedParent, "fixedParent", "it could be duplicated to another parent"),
        (TpmaObject.SensitiveDataOrigin, "sensitiveDataOrigin", "its private part was made outside the TPM and imported"),
        (TpmaObject.Sign, "sign", "it is not a signing key"),
    ];

    public static DoctorCheckResult Check(IDoctorCheck check, DoctorContext context)
    {
        var key = context.Settings.Key;
        try
        {
            var publicKey = context.Tpm.GetPublicKey(key);
            context.PublicKey = publicKey;
            var attributes = context.Tpm.ReadAttributes(key);
            var name = $"{publicKey.Algorithm.Name()} key at 0x{key.TpmHandle:X8} in {context.Tpm.Spec.Text} (public key SHA-256 {publicKey.Sha256Fingerprint[..16]}…)";
            var problems = s_required.Where(r => !attributes.HasFlag(r.Attribute)).Select(r => $"{r.Name} is clear: {r.Meaning}").ToList();
            if (attributes.HasFlag(TpmaObject.Restricted))
                problems.Add("restricted is set: the key signs only TPM-made digests, not a TLS CertificateVerify");
            return problems.Count == 0
                ? check.Ok($"{name}: made inside the TPM (sensitiveDataOrigin), can never leave it (fixedTPM, fixedParent), a signing key")
                : check.Failed($"{name}: {string.Join("; ", problems)}; create the key inside the TPM with 'bringup device create --tpm {context.Tpm.Spec.Text} --key {key}'");
        }
        catch (KeyCustodyException e)
        {
            return check.Failed(e.Message);
        }
    }
}
