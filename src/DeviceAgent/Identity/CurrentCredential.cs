using DeviceAgent.Configuration;
using DeviceAgent.State;

namespace DeviceAgent.Identity;

/// <summary>
/// Which credential the device uses now: identity.key and identity.chain are the onboarding
/// credential (what the factory made); once a renewal is committed the state's
/// <see cref="AgentState.Credential"/> overrides them. The configuration is never rewritten.
/// </summary>
public static class CurrentCredential
{
    /// <summary>The identity settings of the current credential.</summary>
    public static IdentitySettings Settings(AgentConfiguration configuration, AgentState? state)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return state?.Credential is { } renewed ? configuration.Identity.WithCredential(renewed.Key, renewed.Chain) : configuration.Identity;
    }

    /// <summary>Reads the state (null when there is none or it is unusable: the onboarding credential then applies) and opens the current identity.</summary>
    /// <exception cref="IdentityException">The identity cannot be used.</exception>
    public static DeviceIdentity Open(AgentConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        AgentState? state;
        try
        {
            state = new StateStore(configuration.StateDirectory).Load();
        }
        catch (StateException)
        {
            state = null; // the runtime reports it and provisions from scratch
        }
        return DeviceIdentity.Open(Settings(configuration, state));
    }
}
