namespace ProvisioningEndpoint.Model;

/// <summary>Whether an enrollment entry lets devices provision (DPS <c>provisioningStatus</c>).</summary>
public enum ProvisioningStatus
{
    /// <summary>Devices matching the entry are provisioned.</summary>
    Enabled,
    /// <summary>Devices matching the entry are refused (and, being the first entry found, nothing higher up the chain is tried).</summary>
    Disabled,
}
