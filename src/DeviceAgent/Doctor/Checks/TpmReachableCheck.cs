using System.Globalization;
using System.Text;
using DeviceAgent.Keys;
using DeviceAgent.Tpm;
using DeviceAgent.Tpm.Constants;

namespace DeviceAgent.Doctor.Checks;

/// <summary>
/// For a <c>tpm:</c> key: the TPM identity.tpm names answers through our own stack (the transport
/// opens, the self test passes), who made it, and whether dictionary-attack lockout is near.
/// </summary>
internal sealed class TpmReachableCheck : IDoctorCheck
{
    public string Id => "tpm";

    public string Title => "TPM answers";

    public Task<DoctorCheckResult> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        if (!context.IsTpmKey && !context.Settings.TpmAttestation)
            return this.Skipped("the key is not a tpm: key").AsTask();
        try
        {
            var tpm = context.Tpm.Tpm;
            var description = $"{context.Tpm.Spec.Text}: {Vendor(tpm.GetProperty(TpmPt.Manufacturer))} TPM 2.0, firmware {Firmware(tpm)}";
            var permanent = tpm.GetProperty(TpmPt.Permanent) ?? 0;
            var failures = tpm.GetProperty(TpmPt.LockoutCounter) ?? 0;
            var maximum = tpm.GetProperty(TpmPt.MaxAuthFail) ?? 0;
            var interval = tpm.GetProperty(TpmPt.LockoutInterval) ?? 0;
            if ((permanent & TpmPt.PermanentInLockout) != 0)
            {
                return this.Failed($"{description}: the TPM is in dictionary-attack lockout after {failures} wrong auth values; " +
                    $"it refuses every authorisation until the counter decays (one failure per {interval} s) or the lockout owner resets it " +
                    "(tpm2_dictionarylockout --clear-lockout)").AsTask();
            }
            return failures > 0
                ? this.Warning($"{description}; {failures} of {maximum} wrong auth values counted toward dictionary-attack lockout (one forgiven per {interval} s)").AsTask()
                : this.Ok(description).AsTask();
        }
        catch (KeyCustodyException e)
        {
            return this.Failed($"{e.Message}; check identity.tpm (device:/dev/tpmrm0 needs the agent in the tss group) or start the simulator").AsTask();
        }
        catch (TpmException e)
        {
            return this.Failed($"TPM {context.Tpm.Spec.Text}: {e.Message}").AsTask();
        }
    }

    private static string Vendor(uint? id)
    {
        if (id is not { } value)
            return "an unnamed";
        var text = Encoding.ASCII.GetString([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]).TrimEnd('\0', ' ');
        return text.All(c => c is >= ' ' and <= '~') ? $"'{text}'" : $"0x{value:X8}";
    }

    private static string Firmware(Tpm2 tpm)
    {
        var high = tpm.GetProperty(TpmPt.FirmwareVersion1) ?? 0;
        var low = tpm.GetProperty(TpmPt.FirmwareVersion2) ?? 0;
        return string.Create(CultureInfo.InvariantCulture, $"{high >> 16}.{high & 0xFFFF}.{low >> 16}.{low & 0xFFFF}");
    }
}
