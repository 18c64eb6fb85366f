namespace DeviceAgent.Hardware.Status;

/// <summary>One step of a blink pattern: the LED on or off for a duration (<see cref="Timeout.InfiniteTimeSpan"/>: for good).</summary>
/// <param name="On">Whether the LED is lit.</param>
/// <param name="Duration">How long; infinite only in a one-step (steady) pattern.</param>
public readonly record struct BlinkStep(bool On, TimeSpan Duration);
