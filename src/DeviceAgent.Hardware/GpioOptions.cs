using DeviceAgent.Hardware.Button;
using DeviceAgent.Hardware.Gpio;

namespace DeviceAgent.Hardware;

/// <summary>
/// Where the status LED and the re-provision button are wired (the <c>hardware</c> section of the
/// agent's configuration). Line numbers are the chip's line offsets: on a Raspberry Pi the BCM
/// GPIO numbers (GPIO17 = 17), not the physical header pin numbers. A line left unset means the
/// device has no such part.
/// </summary>
public sealed class GpioOptions
{
    /// <summary>The chip: a path (/dev/gpiochip0), a device name (gpiochip0) or a label (pinctrl-rp1). Default gpiochip0.</summary>
    public string Chip { get; set; } = "gpiochip0";

    /// <summary>The status LED's line, or null for none.</summary>
    public int? LedLine { get; set; }

    /// <summary>True when the LED lights at the low level (wired from 3.3 V through the LED to the pin).</summary>
    public bool LedActiveLow { get; set; }

    /// <summary>The button's line, or null for none.</summary>
    public int? ButtonLine { get; set; }

    /// <summary>True when a press pulls the line low (button to ground, the usual wiring). Default true.</summary>
    public bool ButtonActiveLow { get; set; } = true;

    /// <summary>The button line's pull resistor. Default pull-up (button to ground).</summary>
    public GpioBias ButtonBias { get; set; } = GpioBias.PullUp;

    /// <summary>How long a button level must hold to count, in milliseconds. Default 50.</summary>
    public int DebounceMilliseconds { get; set; } = 50;

    /// <summary>How long the button must be held to forget the assignment and re-provision, in milliseconds. Default 5000.</summary>
    public int LongPressMilliseconds { get; set; } = 5000;

    /// <summary>True when at least one of the LED and the button is configured.</summary>
    public bool IsConfigured => LedLine is not null || ButtonLine is not null;

    /// <summary>The button's thresholds.</summary>
    /// <exception cref="ArgumentException">The thresholds are invalid (see <see cref="Validate"/>).</exception>
    public ButtonTiming ButtonTiming
    {
        get
        {
            Validate();
            return new ButtonTiming(TimeSpan.FromMilliseconds(DebounceMilliseconds), TimeSpan.FromMilliseconds(LongPressMilliseconds));
        }
    }

    /// <summary>Checks the options; the message names the key (hardware.*).</summary>
    /// <exception cref="ArgumentException">A value is out of range, or the LED and the button share a line.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Chip))
            throw new ArgumentException("hardware.chip is empty; set it to /dev/gpiochipN, gpiochipN or a chip label", nameof(Chip));
        if (LedLine < 0)
            throw new ArgumentException($"hardware.ledLine is {LedLine}; a line offset is 0 or more", nameof(LedLine));
        if (ButtonLine < 0)
            throw new ArgumentException($"hardware.buttonLine is {ButtonLine}; a line offset is 0 or more", nameof(ButtonLine));
        if (LedLine is not null && LedLine == ButtonLine)
            throw new ArgumentException($"hardware.ledLine and hardware.buttonLine are both {LedLine}; the LED and the button need a line each", nameof(ButtonLine));
        if (DebounceMilliseconds <= 0)
            throw new ArgumentException($"hardware.debounceMilliseconds is {DebounceMilliseconds}; it must be positive (typically 20-100)", nameof(DebounceMilliseconds));
        if (LongPressMilliseconds <= DebounceMilliseconds)
            throw new ArgumentException($"hardware.longPressMilliseconds ({LongPressMilliseconds}) must be longer than hardware.debounceMilliseconds ({DebounceMilliseconds})", nameof(LongPressMilliseconds));
        if (!Enum.IsDefined(ButtonBias))
            throw new ArgumentException($"hardware.buttonBias is {(int)ButtonBias}; use asIs, pullUp, pullDown or disabled", nameof(ButtonBias));
    }
}
