namespace DeviceAgent.Pki.DeviceIdentities;

/// <summary>What happened to a device identity.</summary>
public enum DeviceIdentityOutcome
{
    /// <summary>A certificate was issued and written.</summary>
    Issued,
    /// <summary>A certificate was issued again: an earlier run stopped after logging but before writing, or a reissue was asked for.</summary>
    Reissued,
    /// <summary>The output already held this device's identity from this CA: nothing was done.</summary>
    AlreadyDone,
}
