using DeviceAgent.Hardware;

namespace DeviceAgent.Configuration;

/// <summary>The <c>hardware</c> section of agent.json.</summary>
public sealed class HardwareSettings
{
    /// <summary><c>hardware.gpio</c>: status LED and re-provision button lines; none when not set.</summary>
    public GpioOptions? Gpio { get; set; }
}
