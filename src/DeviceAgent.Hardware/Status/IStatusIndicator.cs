namespace DeviceAgent.Hardware.Status;

/// <summary>
/// Shows the agent's state to a person standing next to the device. The daemon calls
/// <see cref="Show"/> on every state change; implementations are thread-safe, never block and
/// never throw for a hardware fault (they report it once and go dark).
/// </summary>
public interface IStatusIndicator
{
    /// <summary>Shows <paramref name="state"/> from now on; showing the current state again changes nothing.</summary>
    void Show(DeviceState state);
}
