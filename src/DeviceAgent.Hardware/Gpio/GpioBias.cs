namespace DeviceAgent.Hardware.Gpio;

/// <summary>The bias (pull resistor) of an input line.</summary>
public enum GpioBias
{
    /// <summary>Leave the bias as the board configured it.</summary>
    AsIs,

    /// <summary>Pull-up: a button wired to ground reads inactive until pressed (use with active-low).</summary>
    PullUp,

    /// <summary>Pull-down: a button wired to 3.3 V reads inactive until pressed.</summary>
    PullDown,

    /// <summary>No bias: the circuit has its own resistor.</summary>
    Disabled,
}
