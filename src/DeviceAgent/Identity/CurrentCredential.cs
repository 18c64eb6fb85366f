using System.Security.Cryptography.X509Certificates;
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

    /// <summary>
    /// Reads the state (none, or unusable: the onboarding credential applies) and opens the current identity.
    /// When the renewed credential cannot be used (its leaf expired) and renewal.keepOnboardingCredential
    /// is set, opens the onboarding credential instead (<see cref="IsFallback"/>).
    /// </summary>
    /// <exception cref="IdentityException">The identity cannot be used; for a renewed one, what to do.</exception>
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
        if (state?.Credential is not { } renewed)
            return DeviceIdentity.Open(configuration.Identity);
        try
        {
            return DeviceIdentity.Open(Settings(configuration, state));
        }
        catch (IdentityException e) when (configuration.Renewal.KeepOnboardingCredential)
        {
            // The renewed leaf expired (powered off too long) or its key is gone: the onboarding credential
            // re-registers for a fresh one (RenewalDriver.ReRegisterIfFallenBackAsync).
            try
            {
                return DeviceIdentity.Open(configuration.Identity);
            }
            catch (IdentityException onboarding)
            {
                throw new IdentityException($"the renewed credential (generation {renewed.Generation}, {renewed.Key}, {renewed.Chain}) cannot be used: {e.Message}; " +
                    $"nor can the onboarding credential: {onboarding.Message}", e);
            }
        }
        catch (IdentityException e)
        {
            throw new IdentityException($"the renewed credential (generation {renewed.Generation}, {renewed.Key}, {renewed.Chain}) cannot be used: {e.Message}; " +
                "renewal.keepOnboardingCredential is false, so there is no onboarding credential to re-register with: issue a new certificate " +
                "('bringup device issue'), point identity.key/identity.chain at it, then 'deviceagent reset --credential'", e);
        }
    }

    /// <summary>True when <paramref name="identity"/> is the onboarding credential opened in place of the state's renewed one (<see cref="Open"/>'s fallback).</summary>
    public static bool IsFallback(AgentState? state, DeviceIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (state?.Credential is not { } renewed)
            return false;
        // After 'deviceagent reset' the state names no thumbprint: the renewed chain's leaf says which one it is.
        var thumbprint = state.IsAssigned ? state.CertificateThumbprint : LeafThumbprint(renewed.Chain);
        return !string.Equals(identity.Thumbprint, thumbprint, StringComparison.OrdinalIgnoreCase);
    }

    // The first certificate of a PEM chain file; null when it cannot be read (then the renewed credential did not open either).
    private static string? LeafThumbprint(string chainPath)
    {
        try
        {
            using var leaf = X509Certificate2.CreateFromPem(File.ReadAllText(chainPath)); // the first CERTIFICATE block
            return leaf.Thumbprint;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }
}
