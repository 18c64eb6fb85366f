using DeviceAgent.Hardware.Button;
using DeviceAgent.Hardware.Gpio;
using DeviceAgent.Hardware.Status;

namespace DeviceAgent.Hardware;

/// <summary>
/// The status LED and the re-provision button, as the daemon gets them: opened from
/// <see cref="GpioOptions"/>, with a null indicator or button standing in for any part that is
/// missing. Absent hardware (no chip, no such line, line busy, permission denied) is reported once
/// through the report callback, with what to check, and the agent runs on without it.
/// </summary>
public sealed class StatusHardware : IDisposable
{
    /// <summary>The consumer label the kernel shows for our lines (gpioinfo).</summary>
    public const string Consumer = "deviceagent";

    private readonly IDisposable[] _owned;

    private StatusHardware(IStatusIndicator indicator, IReprovisionButton button, IDisposable[] owned)
    {
        Indicator = indicator;
        Button = button;
        _owned = owned;
    }

    /// <summary>Neither LED nor button.</summary>
    public static StatusHardware None => new(NullStatusIndicator.Instance, NullReprovisionButton.Instance, []);

    /// <summary>The status indicator (a <see cref="NullStatusIndicator"/> without a working LED).</summary>
    public IStatusIndicator Indicator { get; }

    /// <summary>The re-provision button (a <see cref="NullReprovisionButton"/> without a working button).</summary>
    public IReprovisionButton Button { get; }

    /// <summary>True when the LED line was obtained.</summary>
    public bool HasLed => Indicator is not NullStatusIndicator;

    /// <summary>True when the button line was obtained.</summary>
    public bool HasButton => Button is not NullReprovisionButton;

    /// <summary>Opens what the options configure; never throws for missing hardware.</summary>
    /// <param name="options">Chip, lines, polarity and thresholds.</param>
    /// <param name="time">The clock for blink patterns and the button.</param>
    /// <param name="report">Receives one message per missing part (and later, one per part that fails).</param>
    /// <param name="openChip">Opens a chip by path; the character device by default (tests pass a fake).</param>
    /// <param name="deviceDirectory">Where chips are searched by label.</param>
    /// <exception cref="ArgumentException">The options are invalid: a configuration error, not missing hardware.</exception>
    public static StatusHardware Open(GpioOptions options, TimeProvider time, Action<string> report,
        Func<string, IGpioChip>? openChip = null, string deviceDirectory = "/dev")
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(report);
        options.Validate();
        if (!options.IsConfigured)
            return None;

        IGpioChip chip;
        try
        {
            chip = GpioChipLocator.Open(options.Chip, deviceDirectory, openChip);
        }
        catch (GpioException e)
        {
            report($"status LED and re-provision button disabled: {e.Message}");
            return None;
        }

        // Line requests outlive the chip's descriptor: close the chip once the lines are held.
        using (chip)
        {
            var owned = new List<IDisposable>();
            IStatusIndicator indicator = NullStatusIndicator.Instance;
            IReprovisionButton button = NullReprovisionButton.Instance;
            if (options.LedLine is { } ledLine)
            {
                try
                {
                    var led = new LedStatusIndicator(chip.RequestOutput(ledLine, options.LedActiveLow, false, Consumer), time, report);
                    owned.Add(led);
                    indicator = led;
                }
                catch (GpioException e)
                {
                    report($"status LED disabled: {e.Message}");
                }
            }
            if (options.ButtonLine is { } buttonLine)
            {
                IGpioInputLine? line = null;
                try
                {
                    line = chip.RequestInput(buttonLine, options.ButtonActiveLow, options.ButtonBias, Consumer);
                    var gpioButton = new GpioReprovisionButton(line, time, options.ButtonTiming, report);
                    owned.Add(gpioButton);
                    button = gpioButton;
                }
                catch (GpioException e)
                {
                    line?.Dispose();
                    report($"re-provision button disabled: {e.Message}");
                }
            }
            return new StatusHardware(indicator, button, [.. owned]);
        }
    }

    /// <summary>Turns the LED off and releases the lines.</summary>
    public void Dispose()
    {
        foreach (var part in _owned)
            part.Dispose();
    }
}
