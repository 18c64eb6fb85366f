namespace DeviceAgent.Hardware.Button;

/// <summary>The button of a device without one (or whose button is unavailable): never pressed.</summary>
public sealed class NullReprovisionButton : IReprovisionButton
{
    /// <summary>The one instance.</summary>
    public static NullReprovisionButton Instance { get; } = new();

    private NullReprovisionButton()
    {
    }

    /// <inheritdoc />
    public event EventHandler? ReprovisionRequested
    {
        add { }
        remove { }
    }
}
