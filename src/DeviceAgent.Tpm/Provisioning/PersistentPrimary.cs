using DeviceAgent.Tpm.Constants;
using DeviceAgent.Tpm.Structures;

namespace DeviceAgent.Tpm.Provisioning;

/// <summary>
/// The SRK and EK as persistent objects, created only when absent: if the handle holds an
/// object it is used as it is (its public area is returned); otherwise the primary is derived
/// from its template with TPM2_CreatePrimary, made persistent with TPM2_EvictControl and its
/// transient copy flushed. Idempotent: a rerun after a failure is safe.
/// </summary>
public static class PersistentPrimary
{
    /// <summary>The SRK at 0x81000001 (owner hierarchy).</summary>
    public static ReadPublicResult EnsureSrk(Tpm2 tpm, TpmHandle? owner = null) =>
        Ensure(tpm, TcgTemplates.SrkHandle, owner ?? TpmHandle.Owner, owner ?? TpmHandle.Owner, TcgTemplates.SrkEccP256);

    /// <summary>The EK at 0x81010001 (endorsement hierarchy, template L-1, RSA 2048).</summary>
    public static ReadPublicResult EnsureEk(Tpm2 tpm, TpmHandle? endorsement = null, TpmHandle? owner = null) =>
        Ensure(tpm, TcgTemplates.EkHandle, endorsement ?? TpmHandle.Endorsement, owner ?? TpmHandle.Owner, TcgTemplates.EkRsa2048);

    /// <summary>Ensures a persistent primary.</summary>
    /// <exception cref="TpmException">The TPM refused (for example a hierarchy with an auth value not given).</exception>
    public static ReadPublicResult Ensure(Tpm2 tpm, uint persistentHandle, TpmHandle hierarchy, TpmHandle owner, TpmtPublic template)
    {
        ArgumentNullException.ThrowIfNull(tpm);
        ArgumentNullException.ThrowIfNull(template);
        if (TryReadPublic(tpm, persistentHandle) is { } existing)
        {
            if (existing.Public.Type != template.Type || (existing.Public.ObjectAttributes & TpmaObject.Restricted) == 0)
                throw new TpmException($"persistent handle 0x{persistentHandle:X8} holds a {existing.Public.Type} object with attributes {existing.Public.ObjectAttributes}, not the expected primary; evict it (tpm2_evictcontrol -c 0x{persistentHandle:X8}) or choose another handle");
            return existing;
        }
        var created = tpm.CreatePrimary(hierarchy, template);
        try
        {
            tpm.EvictControl(owner, created.Handle, persistentHandle);
        }
        finally
        {
            tpm.FlushContext(created.Handle);
        }
        return tpm.ReadPublic(persistentHandle);
    }

    /// <summary>ReadPublic, or null when nothing is at the handle.</summary>
    public static ReadPublicResult? TryReadPublic(Tpm2 tpm, uint handle)
    {
        ArgumentNullException.ThrowIfNull(tpm);
        try
        {
            return tpm.ReadPublic(handle);
        }
        catch (TpmResponseException ex) when (ex.Code == TpmRc.Handle)
        {
            return null;
        }
    }
}
