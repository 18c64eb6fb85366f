namespace DeviceAgent.Hardware.Button;

/// <summary>
/// The device's push button. A long press asks the agent to forget its assignment (assigned hub
/// and device id) and provision again. Raised on a timer thread; the subscriber must return
/// quickly (post to the daemon's own loop) and must not throw.
/// </summary>
public interface IReprovisionButton
{
    /// <summary>The button was held for the long-press threshold: forget the assignment and re-provision.</summary>
    event EventHandler? ReprovisionRequested;
}
