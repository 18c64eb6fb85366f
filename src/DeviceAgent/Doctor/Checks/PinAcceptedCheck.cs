using DeviceAgent.Keys;

namespace DeviceAgent.Doctor.Checks;

/// <summary>The PIN can be read from its source and the token accepts it (C_Login).</summary>
internal sealed class PinAcceptedCheck : IDoctorCheck
{
    private const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    public string Id => "pin";

    public string Title => "PIN works";

    public Task<DoctorCheckResult> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        if (!context.IsTokenKey)
            return this.Skipped(context.NoTokenReason).AsTask();
        if (this.SkipUnlessPassed(context, "token", "token is present") is { } skipped)
            return skipped.AsTask();
        var source = context.Settings.Key.Pin;
        if (source is null)
            return this.Failed("no PIN source is configured: set identity.pinFile or pass --pin-file (never the PIN itself)").AsTask();
        try
        {
            using var pin = source.Read();
            using var session = context.Slot!.OpenSession();
            session.Login(pin);
        }
        catch (KeyCustodyException e)
        {
            return this.Failed(e.Message).AsTask();
        }

        if (source.FilePath is { } file && (File.GetUnixFileMode(file) & GroupOrOthers) != 0)
        {
            return this.Warning($"the token accepted the PIN from {source.Description}, but the file is readable or writable " +
                $"by group or others ({Convert.ToString((int)File.GetUnixFileMode(file), 8)}): chmod 600 '{file}'").AsTask();
        }
        return this.Ok($"the token accepted the PIN from {source.Description}").AsTask();
    }
}
