using DeviceAgent.Configuration;
using DeviceAgent.Hub;
using DeviceAgent.Identity;
using DeviceAgent.Pki.Tls;
using DeviceAgent.Provisioning.Client;
using DeviceAgent.State;

namespace DeviceAgent.Provisioning;

/// <summary>X.509 attestation: the device key and full chain over mutual TLS, to DPS (MQTT) and to the hub (<see cref="Provisioner"/>).</summary>
public sealed class X509AgentAttestation(AgentConfiguration configuration, DeviceIdentity identity, TimeProvider clock) : AgentAttestation
{
    /// <summary>The identity.</summary>
    public DeviceIdentity Identity { get; } = identity;

    /// <inheritdoc />
    public override string Description => $"identity ready: \"{Identity.Leaf.Subject}\" (thumbprint {Identity.Thumbprint})";

    /// <inheritdoc />
    public override string RegistrationId => Provisioner.RegistrationIdOf(configuration, Identity);

    /// <inheritdoc />
    public override string? WhyStale(AgentState? state) =>
        state is { Attestation: "tpm" } ? "the device attested with its TPM before" : Provisioner.WhyStale(state, configuration, Identity);

    /// <inheritdoc />
    public override Task<AgentState> ProvisionAsync(Action<string>? progress, DpsClientOptions? options, CancellationToken cancellationToken) =>
        Provisioner.ProvisionAsync(configuration, Identity, progress, options, clock, cancellationToken);

    /// <inheritdoc />
    public override Task<HubSession> ConnectHubAsync(AgentState state, TlsServerTrust trust, TimeSpan keepAlive, CancellationToken cancellationToken) =>
        HubSession.ConnectAsync(state, Identity.Tls, trust, keepAlive, cancellationToken);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
            Identity.Dispose();
    }
}
