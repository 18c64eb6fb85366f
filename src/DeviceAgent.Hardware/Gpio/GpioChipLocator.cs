using System.Globalization;
using System.Text.RegularExpressions;

namespace DeviceAgent.Hardware.Gpio;

/// <summary>A GPIO chip as the kernel lists it (gpiodetect): its number, device name and label.</summary>
/// <param name="Number">N of /dev/gpiochipN: what System.Device.Gpio's drivers take.</param>
/// <param name="Name">gpiochipN.</param>
/// <param name="Label">The driver's label (pinctrl-rp1 on a Raspberry Pi 5, pinctrl-bcm2711 on a Pi 4).</param>
public sealed record GpioChip(int Number, string Name, string Label);

/// <summary>
/// Finds the configured chip: a path (<c>/dev/gpiochip4</c>), a device name (<c>gpiochip0</c>)
/// or a label (<c>pinctrl-rp1</c>), which stays right when the kernel numbers its chips differently.
/// </summary>
public static partial class GpioChipLocator
{
    /// <summary>The chip number that <paramref name="chip"/> names.</summary>
    /// <param name="chip">A path, a gpiochipN name or a chip label.</param>
    /// <param name="listChips">Lists the chips (for a label only): the driver's own listing in production.</param>
    /// <exception cref="GpioException">No chip has that label; the message lists the chips there are.</exception>
    public static int Resolve(string chip, Func<IReadOnlyList<GpioChip>> listChips)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(chip);
        ArgumentNullException.ThrowIfNull(listChips);
        var name = chip.Contains('/', StringComparison.Ordinal) ? Path.GetFileName(chip) : chip;
        if (DeviceName().Match(name) is { Success: true } match)
            return int.Parse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);
        if (chip.Contains('/', StringComparison.Ordinal))
            throw new GpioException($"{chip} is not a GPIO chip device (/dev/gpiochipN); set hardware.chip to a /dev/gpiochipN path, gpiochipN or a chip label");
        var chips = listChips();
        return chips.FirstOrDefault(c => string.Equals(c.Label, chip, StringComparison.Ordinal))?.Number
            ?? throw GpioException.NoChipWithLabel(chip, chips);
    }

    [GeneratedRegex("^gpiochip([0-9]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex DeviceName();
}
