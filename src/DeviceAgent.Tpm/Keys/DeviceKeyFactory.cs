using DeviceAgent.Tpm.Constants;
using DeviceAgent.Tpm.Provisioning;
using DeviceAgent.Tpm.Sessions;
using DeviceAgent.Tpm.Structures;

namespace DeviceAgent.Tpm.Keys;

/// <summary>
/// Generates the device identity key inside the TPM under the SRK and makes it persistent: TPM2_Create
/// from <see cref="TcgTemplates.DeviceKeyEccP256"/> (or RSA 3072), TPM2_Load, TPM2_EvictControl,
/// then the transient copy is flushed. The auth value travels in TPM2B_SENSITIVE_CREATE, so an
/// SRK-salted session with AES-CFB parameter encryption carries it. Never duplicable
/// (fixedTPM|fixedParent).
/// </summary>
public static class DeviceKeyFactory
{
    /// <summary>Creates the key at <paramref name="persistentHandle"/>.</summary>
    /// <exception cref="TpmException">TPM_RC_NV_DEFINED: the handle is taken; or the TPM refused.</exception>
    public static ReadPublicResult Create(Tpm2 tpm, uint persistentHandle, TpmtPublic template, ReadOnlySpan<byte> authValue = default)
    {
        ArgumentNullException.ThrowIfNull(tpm);
        ArgumentNullException.ThrowIfNull(template);
        if (PersistentPrimary.TryReadPublic(tpm, persistentHandle) is not null)
            throw new TpmResponseException($"persistent handle 0x{persistentHandle:X8} already holds a key; evict it first (tpm2_evictcontrol -C o -c 0x{persistentHandle:X8}) or choose another handle");
        var srk = PersistentPrimary.EnsureSrk(tpm);
        var srkHandle = new TpmHandle(TcgTemplates.SrkHandle, srk.Name);
        CreateResult created;
        if (authValue.IsEmpty)
        {
            created = tpm.Create(srkHandle, template);
        }
        else
        {
            using var session = tpm.StartAuthSession(false, (TcgTemplates.SrkHandle, srk.Public), TpmtSymDefObject.Aes128Cfb, TpmaSession.Decrypt);
            created = tpm.Create(srkHandle, template, authValue, session);
        }
        var (handle, _) = tpm.Load(srkHandle, created.Private.Span, created.Public);
        try
        {
            tpm.EvictControl(TpmHandle.Owner, handle, persistentHandle);
        }
        finally
        {
            tpm.FlushContext(handle);
        }
        return tpm.ReadPublic(persistentHandle);
    }

    /// <summary>The template for a key type: ECC P-256 (the default) or RSA 3072.</summary>
    /// <exception cref="TpmException">A key type the TPM identity does not use.</exception>
    public static TpmtPublic TemplateFor(bool rsa) => rsa ? TcgTemplates.DeviceKeyRsa3072 : TcgTemplates.DeviceKeyEccP256;

    /// <summary>What is wrong with a key's attributes for a device identity (empty when nothing is).</summary>
    public static IReadOnlyList<string> CustodyProblems(TpmaObject attributes)
    {
        var problems = new List<string>();
        if ((attributes & TpmaObject.FixedTpm) == 0)
            problems.Add("fixedTPM is clear: the key can be duplicated to another TPM");
        if ((attributes & TpmaObject.FixedParent) == 0)
            problems.Add("fixedParent is clear: the key can be duplicated to another parent");
        if ((attributes & TpmaObject.SensitiveDataOrigin) == 0)
            problems.Add("sensitiveDataOrigin is clear: the key was imported, not generated in the TPM");
        if ((attributes & TpmaObject.Sign) == 0)
            problems.Add("sign is clear: the key cannot sign");
        if ((attributes & TpmaObject.Restricted) != 0)
            problems.Add("restricted is set: the key cannot sign TLS handshakes or CSRs");
        return problems;
    }
}
