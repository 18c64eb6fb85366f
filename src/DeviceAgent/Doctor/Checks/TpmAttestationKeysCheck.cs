using DeviceAgent.Identity;
using DeviceAgent.Keys;
using DeviceAgent.State;
using DeviceAgent.Tpm;
using DeviceAgent.Tpm.Constants;
using DeviceAgent.Tpm.Credentials;
using DeviceAgent.Tpm.Provisioning;

namespace DeviceAgent.Doctor.Checks;

/// <summary>
/// For <c>provisioning.attestation: "tpm"</c>: the EK at 0x81010001 is the TCG template L-1 key DPS's
/// enrollment holds (what tpm2_createek makes), the SRK at 0x81000002 is an RSA storage key, the
/// registration id (configured or derived from the EK), and once provisioned, the hub key at 0x81000100.
/// Reads only: a missing EK or SRK is created by <c>deviceagent tpm info</c> or the first provisioning.
/// </summary>
internal sealed class TpmAttestationKeysCheck : IDoctorCheck
{
    public string Id => "tpm-attestation";

    public string Title => "TPM attestation keys (EK, SRK)";

    public Task<DoctorCheckResult> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        if (!context.Settings.TpmAttestation)
            return this.Skipped("provisioning.attestation is not \"tpm\"").AsTask();
        if (this.SkipUnlessPassed(context, "tpm", "TPM answers") is { } skipped)
            return skipped.AsTask();
        try
        {
            var tpm = context.Tpm.Tpm;
            var ek = PersistentPrimary.TryReadPublic(tpm, TcgTemplates.EkHandle);
            var srk = PersistentPrimary.TryReadPublic(tpm, TpmAuthenticationKey.StorageRootKeyHandle);
            if (ek is null || srk is null)
            {
                var missing = ek is null ? $"no EK at 0x{TcgTemplates.EkHandle:X8}" : $"no SRK at 0x{TpmAuthenticationKey.StorageRootKeyHandle:X8}";
                return this.Warning($"{missing} yet; 'deviceagent tpm info' or the first provisioning creates it from its TCG template").AsTask();
            }
            var template = TcgTemplates.EkRsa2048;
            if (ek.Public.Type != TpmAlgId.Rsa || ek.Public.ObjectAttributes != template.ObjectAttributes || !ek.Public.AuthPolicy.Span.SequenceEqual(template.AuthPolicy.Span))
            {
                return this.Failed($"the key at 0x{TcgTemplates.EkHandle:X8} is not an EK of the TCG template L-1 (RSA 2048, attributes {template.ObjectAttributes}, " +
                    $"PolicySecret(endorsement)): it has {ek.Public.Type}, {ek.Public.ObjectAttributes}; the enrollment's EK (tpm2_createek) will not match").AsTask();
            }
            if (srk.Public.Type != TpmAlgId.Rsa || (srk.Public.ObjectAttributes & TpmaObject.Restricted) == 0)
                return this.Failed($"the key at 0x{TpmAuthenticationKey.StorageRootKeyHandle:X8} is not an RSA storage key; evict it (tpm2_evictcontrol -c 0x{TpmAuthenticationKey.StorageRootKeyHandle:X8})").AsTask();

            var endorsementKey = TpmAuthenticationKey.ToTpm2bPublic(ek.Public);
            var configured = context.Settings.Agent?.Provisioning.RegistrationId;
            var registrationId = configured is null
                ? $"registration id '{TpmAttestationDevice.SuggestRegistrationId(endorsementKey)}' (derived from the EK)"
                : $"registration id '{configured}' (configured)";
            var detail = $"EK RSA 2048 at 0x{TcgTemplates.EkHandle:X8} (TCG template L-1), SRK RSA 2048 at 0x{TpmAuthenticationKey.StorageRootKeyHandle:X8}; {registrationId}";
            if (StateOf(context) is { Attestation: "tpm" })
            {
                return PersistentPrimary.TryReadPublic(tpm, TpmAuthenticationKey.PersistentHandle) is { Public.Type: TpmAlgId.KeyedHash }
                    ? this.Ok($"{detail}; hub key at 0x{TpmAuthenticationKey.PersistentHandle:X8}").AsTask()
                    : this.Failed($"{detail}; but the TPM holds no hub key at 0x{TpmAuthenticationKey.PersistentHandle:X8} although the device is provisioned: run 'deviceagent provision'").AsTask();
            }
            return this.Ok($"{detail}; not provisioned yet").AsTask();
        }
        catch (Exception e) when (e is TpmException or KeyCustodyException)
        {
            return this.Failed($"TPM {context.Tpm.Spec.Text}: {e.Message}").AsTask();
        }
    }

    private static AgentState? StateOf(DoctorContext context)
    {
        if (context.Settings.Agent is not { } agent)
            return null;
        try
        {
            return new StateStore(agent.StateDirectory).Load();
        }
        catch (StateException)
        {
            return null;
        }
    }
}
