using System.Security.Cryptography;
using DeviceAgent.Configuration;
using DeviceAgent.Hub;
using DeviceAgent.Identity;
using DeviceAgent.Pki.Tls;
using DeviceAgent.Provisioning.Client;
using DeviceAgent.Provisioning.Tpm;
using DeviceAgent.State;

namespace DeviceAgent.Provisioning;

/// <summary>
/// DPS TPM attestation (<c>provisioning.attestation: "tpm"</c>): registration over DPS's HTTPS device
/// API with the EK and SRK (<see cref="DpsTpmClient"/>; provisioning.endpoint is the HTTPS host, port
/// 443 by default), TLS without a client certificate; the hub key stays in the TPM at 0x81000100 and
/// the hub connection's password is a SAS token signed there, renewed before it expires.
/// </summary>
public sealed class TpmAgentAttestation(AgentConfiguration configuration, TpmAttestationDevice device, TimeProvider clock) : AgentAttestation
{
    /// <summary>The default HTTPS port of DPS's device API.</summary>
    public const int HttpsPort = 443;

    /// <summary>The TPM.</summary>
    public TpmAttestationDevice Device { get; } = device;

    /// <inheritdoc />
    public override string Description => $"TPM {Device.Spec} ready: registration id '{RegistrationId}' (DPS TPM attestation)";

    /// <inheritdoc />
    public override string RegistrationId => configuration.Provisioning.RegistrationId ?? Device.SuggestedRegistrationId;

    /// <summary>The SHA-256 of the EK's TPM2B_PUBLIC (lowercase hex): what the state remembers of the TPM.</summary>
    public string EndorsementKeyHash => Convert.ToHexStringLower(SHA256.HashData(Device.EndorsementKey));

    /// <inheritdoc />
    public override string? WhyStale(AgentState? state)
    {
        if (state is null || !state.IsAssigned)
            return "the device has not been provisioned";
        if (state.Attestation != "tpm")
            return "the device attested with a certificate before";
        if (!string.Equals(state.CertificateThumbprint, EndorsementKeyHash, StringComparison.Ordinal))
            return "the TPM's endorsement key changed (another TPM)";
        if (!string.Equals(state.IdScope, configuration.Provisioning.IdScope, StringComparison.Ordinal))
            return $"the ID scope changed ({state.IdScope} -> {configuration.Provisioning.IdScope})";
        if (!string.Equals(state.RegistrationId, RegistrationId, StringComparison.Ordinal))
            return $"the registration id changed ({state.RegistrationId} -> {RegistrationId})";
        return Device.HasAuthenticationKey ? null : "the TPM no longer holds the hub key (cleared?)";
    }

    /// <inheritdoc />
    public override async Task<AgentState> ProvisionAsync(Action<string>? progress, DpsClientOptions? options, CancellationToken cancellationToken)
    {
        var settings = configuration.Provisioning;
        var (host, port) = ParseEndpoint(settings.Endpoint);
        var trust = settings.Trust is null ? TlsServerTrust.SystemStore : TlsServerTrust.FromPemFile(settings.Trust);
        var client = new DpsTpmClient(host, port,
            async ct => await MutualTlsConnector.ConnectAsync(host, port, null, trust, ct).ConfigureAwait(false),
            options ?? new DpsClientOptions { TimeProvider = clock });
        if (progress is not null)
            client.Progress += progress;
        var registrationId = RegistrationId;
        var result = await client.RegisterAsync(settings.IdScope!, registrationId, Device, settings.Payload, cancellationToken).ConfigureAwait(false);
        return new AgentState
        {
            IdScope = settings.IdScope!,
            RegistrationId = registrationId,
            AssignedHub = result.AssignedHub,
            DeviceId = result.DeviceId,
            RegisteredUtc = clock.GetUtcNow(),
            Attestation = "tpm",
            CertificateThumbprint = EndorsementKeyHash,
            Substatus = result.Substatus,
            ReturnedPayload = result.PayloadJson,
        };
    }

    /// <inheritdoc />
    public override Task<HubSession> ConnectHubAsync(AgentState state, TlsServerTrust trust, TimeSpan keepAlive, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        return HubSession.ConnectWithSasAsync(state, expires => Device.HubToken(state.AssignedHub, state.DeviceId, expires),
            TimeSpan.FromSeconds(configuration.Hub.SasTokenLifetimeSeconds), trust, keepAlive, clock, cancellationToken);
    }

    /// <summary><c>host</c> or <c>host:port</c> of DPS's HTTPS device API (the global host, port 443, by default).</summary>
    /// <exception cref="FormatException">The port is not a number in 1..65535.</exception>
    public static (string Host, int Port) ParseEndpoint(string? endpoint)
    {
        var (host, port) = Transport.DpsTransport.ParseEndpoint(endpoint);
        var explicitPort = endpoint?.Contains(':', StringComparison.Ordinal) == true;
        return (host, explicitPort ? port : HttpsPort);
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
            Device.Dispose();
    }
}
