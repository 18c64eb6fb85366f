namespace DeviceAgent.Hardware.Status;

/// <summary>The agent's states as the status indicator shows them.</summary>
public enum DeviceState
{
    /// <summary>No assignment yet (or forgotten): waiting to provision. LED: slow blink.</summary>
    Unprovisioned,

    /// <summary>Registering with DPS or connecting to the assigned hub. LED: fast blink.</summary>
    Provisioning,

    /// <summary>Connected to the assigned IoT hub. LED: steady on.</summary>
    Connected,

    /// <summary>A failure that needs attention (identity, TPM, refused registration). LED: double flash.</summary>
    Error,
}
