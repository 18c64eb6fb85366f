using DeviceAgent.Configuration;
using DeviceAgent.Hub;
using DeviceAgent.Identity;
using DeviceAgent.Pki.Tls;
using DeviceAgent.Provisioning.Client;
using DeviceAgent.State;

namespace DeviceAgent.Provisioning;

/// <summary>
/// How the device proves itself, to DPS and to its hub: <see cref="X509AgentAttestation"/> (its key and
/// chain, mutual TLS) or <see cref="TpmAgentAttestation"/> (its TPM's EK, SAS tokens signed in the TPM).
/// The runtime's loop is the same for both. Dispose releases the key or the TPM.
/// </summary>
public abstract class AgentAttestation : IDisposable
{
    /// <summary>Opens what <c>provisioning.attestation</c> names: the TPM (tpm) or the key and chain (x509).</summary>
    /// <exception cref="IdentityException">The key, chain or TPM cannot be used.</exception>
    public static AgentAttestation Open(AgentConfiguration configuration, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.Provisioning.IsTpmAttestation
            ? new TpmAgentAttestation(configuration, TpmAttestationDevice.Open(configuration.Identity.TpmSpecification()), clock)
            : new X509AgentAttestation(configuration, CurrentCredential.Open(configuration), clock); // the state's renewed credential, else identity.key/chain
    }

    /// <summary>Who the device is, for the ready message.</summary>
    public abstract string Description { get; }

    /// <summary>The registration id this device registers with.</summary>
    /// <exception cref="ProvisioningException">None can be determined.</exception>
    public abstract string RegistrationId { get; }

    /// <summary>Why the saved state cannot be used as is (null when it can).</summary>
    public abstract string? WhyStale(AgentState? state);

    /// <summary>Registers with DPS and returns the state to persist.</summary>
    /// <exception cref="ProvisioningException">DPS did not assign the device.</exception>
    public abstract Task<AgentState> ProvisionAsync(Action<string>? progress, DpsClientOptions? options, CancellationToken cancellationToken);

    /// <summary>Connects to the hub of <paramref name="state"/>.</summary>
    /// <exception cref="HubRefusedException">The hub refused the device: provision again.</exception>
    public abstract Task<HubSession> ConnectHubAsync(AgentState state, TlsServerTrust trust, TimeSpan keepAlive, CancellationToken cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the identity.</summary>
    protected abstract void Dispose(bool disposing);
}
