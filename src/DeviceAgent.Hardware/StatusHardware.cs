using System.Device.Gpio;
using DeviceAgent.Hardware.Button;
using DeviceAgent.Hardware.Gpio;
using DeviceAgent.Hardware.Status;

namespace DeviceAgent.Hardware;

/// <summary>
/// The status LED and the re-provision button, as the daemon gets them: opened from
/// <see cref="GpioOptions"/> on System.Device.Gpio's character-device driver, with a null indicator
/// or button standing in for any part that is missing. Absent hardware (no chip, no libgpiod, no such
/// line, line busy, permission denied) is reported once through the report callback, with what to
/// check, and the agent runs on without it.
/// </summary>
public sealed class StatusHardware : IDisposable
{
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
    /// <param name="time">The clock for blink patterns.</param>
    /// <param name="report">Receives one message per missing part (and later, one per part that fails).</param>
    /// <param name="openDriver">Opens the driver of chip N; <see cref="GpioDrivers.Open"/> by default (tests pass a fake driver).</param>
    /// <param name="listChips">Lists the chips, to find one by label; <see cref="GpioDrivers.List"/> by default.</param>
    /// <exception cref="ArgumentException">The options are invalid: a configuration error, not missing hardware.</exception>
    public static StatusHardware Open(GpioOptions options, TimeProvider time, Action<string> report,
        Func<int, GpioDriver>? openDriver = null, Func<IReadOnlyList<GpioChip>>? listChips = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(report);
        options.Validate();
        if (!options.IsConfigured)
            return None;

        GpioController controller;
        string chip;
        try
        {
            var number = GpioChipLocator.Resolve(options.Chip, listChips ?? GpioDrivers.List);
            chip = $"/dev/gpiochip{number}";
            controller = new GpioController((openDriver ?? GpioDrivers.Open)(number));
        }
        catch (Exception e) when (GpioException.IsHardwareProblem(e))
        {
            report($"status LED and re-provision button disabled: {e.Message}");
            return None;
        }

        var owned = new List<IDisposable>();
        IStatusIndicator indicator = NullStatusIndicator.Instance;
        IReprovisionButton button = NullReprovisionButton.Instance;
        if (options.LedLine is { } ledLine && Obtain("status LED", chip, ledLine, controller, report,
                () => new LedStatusIndicator(controller, ledLine, options.LedActiveLow, time, report)) is { } led)
        {
            owned.Add(led);
            indicator = led;
        }
        if (options.ButtonLine is { } buttonLine && Obtain("re-provision button", chip, buttonLine, controller, report,
                () => new GpioReprovisionButton(controller, buttonLine, options.ButtonActiveLow, options.ButtonBias, options.ButtonTiming)) is { } gpioButton)
        {
            owned.Add(gpioButton);
            button = gpioButton;
        }
        if (owned.Count == 0)
        {
            controller.Dispose();
            return None;
        }
        owned.Add(controller); // last: the parts close their pins first
        return new StatusHardware(indicator, button, [.. owned]);
    }

    /// <summary>Turns the LED off and releases the lines and the chip.</summary>
    public void Dispose()
    {
        foreach (var part in _owned)
            part.Dispose();
    }

    private static T? Obtain<T>(string part, string chip, int line, GpioController controller, Action<string> report, Func<T> open)
        where T : class, IDisposable
    {
        try
        {
            if (line >= controller.PinCount)
                throw new GpioException($"line {line} does not exist on {chip} ({controller.PinCount} lines, 0-{controller.PinCount - 1}): " +
                    $"check the pin numbers in the configuration ({GpioException.PinNumberHint})");
            return open();
        }
        catch (Exception e) when (GpioException.IsHardwareProblem(e))
        {
            var problem = e as GpioException ?? GpioException.From(part, chip, line, e);
            report($"{part} disabled: {problem.Message}");
            return null;
        }
    }
}
