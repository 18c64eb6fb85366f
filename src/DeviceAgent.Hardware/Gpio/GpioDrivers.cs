using System.Device.Gpio;
using System.Device.Gpio.Drivers;

namespace DeviceAgent.Hardware.Gpio;

/// <summary>
/// System.Device.Gpio's Linux character-device drivers: libgpiod's v2 ABI (libgpiod3, newer
/// releases) where it is installed, else libgpiod v1 (libgpiod2: Debian 12, Raspberry Pi OS
/// bookworm). Both talk to /dev/gpiochipN through the kernel's GPIO uAPI; the sysfs driver is
/// never used (deprecated, and it cannot bias lines).
/// </summary>
public static class GpioDrivers
{
    /// <summary>Opens the driver for chip <paramref name="chipNumber"/>.</summary>
    /// <exception cref="GpioException">Neither libgpiod is installed, or the chip cannot be opened.</exception>
    public static GpioDriver Open(int chipNumber)
    {
        Exception? v2Failure = null;
        try
        {
            return new LibGpiodV2Driver(chipNumber);
        }
        catch (Exception e) when (GpioException.IsHardwareProblem(e))
        {
            v2Failure = e;
        }
        try
        {
            return new LibGpiodDriver(chipNumber);
        }
        catch (Exception e) when (GpioException.IsHardwareProblem(e))
        {
            throw new GpioException($"cannot open /dev/gpiochip{chipNumber} through libgpiod (v2 ABI: {v2Failure.Message}; v1: {e.Message}): " +
                "install libgpiod (apt install libgpiod2, or libgpiod3 on newer releases), check that the chip exists (ls /dev/gpiochip*) " +
                "and that the agent may open it (the gpio group)", e);
        }
    }

    /// <summary>The chips the kernel has, as libgpiod lists them (empty when libgpiod is missing or there are none).</summary>
    public static IReadOnlyList<GpioChip> List()
    {
        foreach (var list in new Func<IEnumerable<GpioChipInfo>>[] { () => LibGpiodV2Driver.GetAvailableChips(), () => LibGpiodDriver.GetAvailableChips() })
        {
            try
            {
                return [.. list().Select(c => new GpioChip(c.Id, c.Name, c.Label))];
            }
            catch (Exception e) when (GpioException.IsHardwareProblem(e))
            {
                // Try the other library.
            }
        }
        return [];
    }
}
