namespace DeviceAgent.Hardware.Status;

/// <summary>The indicator of a device without a status LED (or whose LED is unavailable): shows nothing.</summary>
public sealed class NullStatusIndicator : IStatusIndicator
{
    /// <summary>The one instance.</summary>
    public static NullStatusIndicator Instance { get; } = new();

    private NullStatusIndicator()
    {
    }

    /// <inheritdoc />
    public void Show(DeviceState state)
    {
    }
}
