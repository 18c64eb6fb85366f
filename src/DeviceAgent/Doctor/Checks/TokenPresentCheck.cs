using DeviceAgent.Keys;

namespace DeviceAgent.Doctor.Checks;

/// <summary>Exactly one token matches the key's URI, and its user PIN is usable (not locked).</summary>
internal sealed class TokenPresentCheck : IDoctorCheck
{
    public string Id => "token";

    public string Title => "token is present";

    public Task<DoctorCheckResult> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        if (!context.IsTokenKey)
            return this.Skipped(context.NoTokenReason).AsTask();
        if (this.SkipUnlessPassed(context, "pkcs11-module", "PKCS#11 module loads") is { } skipped)
            return skipped.AsTask();
        try
        {
            var slot = context.Module!.FindSlot(context.Settings.Key.Pkcs11!);
            var token = slot.GetTokenInfo();
            context.Slot = slot;
            var description = $"token '{token.Label}' ({token.Manufacturer} {token.Model}, serial '{token.SerialNumber}') in slot {slot.Id}";
            if (token.UserPinLocked)
                return this.Failed($"{description}: its user PIN is locked after too many wrong attempts; the security officer must reset it").AsTask();
            if (!token.UserPinInitialized)
                return this.Failed($"{description}: its user PIN is not initialised; initialise the token first").AsTask();
            if (token.UserPinFinalTry)
                return this.Warning($"{description}: one more wrong PIN locks it").AsTask();
            if (token.UserPinCountLow)
                return this.Warning($"{description}: a wrong PIN was entered recently").AsTask();
            return this.Ok(description).AsTask();
        }
        catch (KeyCustodyException e)
        {
            return this.Failed(e.Message).AsTask();
        }
    }
}
