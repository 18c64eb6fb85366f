using System.Device.Gpio;
using DeviceAgent.Hardware.Gpio;
using Iot.Device.Button;

namespace DeviceAgent.Hardware.Button;

/// <summary>
/// The re-provision button on an input pin, read by Iot.Device.Bindings' <see cref="GpioButton"/>:
/// it debounces the edges and reports holding; holding for <see cref="ButtonTiming.LongPress"/>
/// (a long press) asks once per press to forget the assignment and provision again. Short presses
/// do nothing. The library times with the system clock. Owns the button (not the controller).
/// </summary>
public sealed class GpioReprovisionButton : IReprovisionButton, IDisposable
{
    private readonly GpioButton _button;

    /// <summary>Opens the pin and starts watching it.</summary>
    /// <param name="controller">The chip's controller (outlives the button).</param>
    /// <param name="pin">The button's line offset.</param>
    /// <param name="activeLow">True when a press pulls the line low (button to ground).</param>
    /// <param name="bias">The pull resistor: the one matching the polarity is set on the line; any other means an external resistor.</param>
    /// <param name="timing">Debounce and long-press thresholds.</param>
    /// <remarks>Throws what System.Device.Gpio throws when the pin cannot be opened (see <see cref="GpioException.IsHardwareProblem"/>).</remarks>
    public GpioReprovisionButton(GpioController controller, int pin, bool activeLow, GpioBias bias, ButtonTiming timing)
    {
        ArgumentNullException.ThrowIfNull(controller);
        ArgumentNullException.ThrowIfNull(timing);
        var internalPull = activeLow ? bias == GpioBias.PullUp : bias == GpioBias.PullDown;
        // Double presses stay disabled; the library still wants their window to be at least 3x the debounce.
        _button = new GpioButton(pin, doublePress: timing.Debounce * 3, holding: timing.LongPress, isPullUp: activeLow,
            hasExternalResistor: !internalPull, gpio: controller, shouldDispose: false, debounceTime: timing.Debounce)
        {
            IsHoldingEnabled = true,
        };
        _button.Holding += OnHolding;
    }

    /// <inheritdoc />
    public event EventHandler? ReprovisionRequested;

    /// <summary>True while the button is held down (debounced).</summary>
    public bool IsPressed => _button.IsPressed;

    /// <summary>Stops watching and closes the pin.</summary>
    public void Dispose()
    {
        _button.Holding -= OnHolding;
        _button.Dispose();
    }

    private void OnHolding(object? sender, ButtonHoldingEventArgs e)
    {
        if (e.HoldingState == ButtonHoldingState.Started)
            ReprovisionRequested?.Invoke(this, EventArgs.Empty);
    }
}
