using DeviceAgent.Configuration;
using DeviceAgent.Identity;
using DeviceAgent.Pki.Tls;
using DeviceAgent.Provisioning.Client;
using DeviceAgent.Provisioning.Transport;
using DeviceAgent.State;

namespace DeviceAgent.Provisioning;

/// <summary>One registration with DPS over mutual TLS with the device's full chain; the assignment becomes the new state.</summary>
public static class Provisioner
{
    /// <summary>Registers and returns the state to persist.</summary>
    /// <exception cref="ProvisioningException">DPS did not assign the device.</exception>
    public static async Task<AgentState> ProvisionAsync(AgentConfiguration configuration, DeviceIdentity identity, Action<string>? progress,
        DpsClientOptions? options, TimeProvider clock, CancellationToken cancellationToken) =>
        (await RegisterAsync(configuration, identity, null, progress, options, clock, cancellationToken).ConfigureAwait(false)).State;

    /// <summary>
    /// Registers, with <paramref name="csr"/> in the body when it is set (cert-renewal: DPS then answers with
    /// registrationState.issuedCertificateChain, unchecked), and returns the state to persist and the issued chain.
    /// </summary>
    /// <exception cref="ProvisioningException">DPS did not assign the device.</exception>
    public static async Task<(AgentState State, IReadOnlyList<string>? IssuedChain)> RegisterAsync(AgentConfiguration configuration, DeviceIdentity identity,
        string? csr, Action<string>? progress, DpsClientOptions? options, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(identity);
        var settings = configuration.Provisioning;
        var (host, port) = DpsTransport.ParseEndpoint(settings.Endpoint);
        var trust = settings.Trust is null ? TlsServerTrust.SystemStore : TlsServerTrust.FromPemFile(settings.Trust);
        var transport = new DpsTransport(host, port, identity.Tls, trust);
        var client = new DpsClient(transport.ConnectAsync, options ?? new DpsClientOptions { TimeProvider = clock });
        if (progress is not null)
            client.Progress += progress;
        var registrationId = RegistrationIdOf(configuration, identity);
        var result = await client.RegisterAsync(settings.IdScope!, registrationId, settings.Payload, csr, cancellationToken).ConfigureAwait(false);
        return (new AgentState
        {
            IdScope = settings.IdScope!,
            RegistrationId = registrationId,
            AssignedHub = result.AssignedHub,
            DeviceId = result.DeviceId,
            RegisteredUtc = clock.GetUtcNow(),
            CertificateThumbprint = identity.Thumbprint,
            Substatus = result.Substatus,
            ReturnedPayload = result.PayloadJson,
        }, result.IssuedCertificateChain);
    }

    /// <summary>The registration id: configured, else the leaf's CN.</summary>
    /// <exception cref="ProvisioningException">Neither is available.</exception>
    public static string RegistrationIdOf(AgentConfiguration configuration, DeviceIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(identity);
        return configuration.Provisioning.RegistrationId ?? identity.CommonName
            ?? throw new ProvisioningException("provisioning.registrationId is not set and the leaf certificate has no CN to use instead");
    }

    /// <summary>Why the saved state cannot be used as is (null when it can).</summary>
    public static string? WhyStale(AgentState? state, AgentConfiguration configuration, DeviceIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(identity);
        if (state is null || !state.IsAssigned)
            return "the device has not been provisioned";
        if (!string.Equals(state.CertificateThumbprint, identity.Thumbprint, StringComparison.OrdinalIgnoreCase))
            return $"the device certificate changed ({state.CertificateThumbprint} -> {identity.Thumbprint})";
        if (!string.Equals(state.IdScope, configuration.Provisioning.IdScope, StringComparison.Ordinal))
            return $"the ID scope changed ({state.IdScope} -> {configuration.Provisioning.IdScope})";
        var registrationId = configuration.Provisioning.RegistrationId ?? identity.CommonName;
        if (!string.Equals(state.RegistrationId, registrationId, StringComparison.Ordinal))
            return $"the registration id changed ({state.RegistrationId} -> {registrationId})";
        return null;
    }
}
