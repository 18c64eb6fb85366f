using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Keys;
using DeviceAgent.Pki.Tls;
using DeviceAgent.Provisioning;
using DeviceAgent.Provisioning.Client;
using DeviceAgent.Provisioning.Transport;
using MQTTnet.Exceptions;

namespace DeviceAgent.Doctor.Checks;

/// <summary>
/// The configured DPS endpoint accepts this device at the protocol level: mutual TLS with the full
/// chain, then an MQTT CONNECT with the DPS user name (ID scope, registration id) — without
/// registering.
/// </summary>
internal sealed class DpsEndpointCheck : IDoctorCheck
{
    public string Id => "dps-endpoint";

    public string Title => "DPS endpoint accepts the device";

    public async Task<DoctorCheckResult> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        var agent = context.Settings.Agent;
        if (agent?.Provisioning.IdScope is not { Length: > 0 } idScope)
            return this.Skipped("no provisioning settings (--config with provisioning.idScope)");
        if (this.SkipUnlessPassed(context, "chain", "chain bundle is valid and matches the key") is { } skipped)
            return skipped;
        var (host, port) = DpsTransport.ParseEndpoint(agent.Provisioning.Endpoint);
        var registrationId = agent.Provisioning.RegistrationId ?? context.Bundle!.Leaf.GetNameInfo(X509NameType.SimpleName, false);
        try
        {
            var trust = agent.Provisioning.Trust is null ? TlsServerTrust.SystemStore : TlsServerTrust.FromPemFile(agent.Provisioning.Trust);
            var transport = new DpsTransport(host, port, context.TlsIdentity(), trust);
            await new DpsClient(transport.ConnectAsync).CheckConnectionAsync(idScope, registrationId, cancellationToken).ConfigureAwait(false);
            return this.Ok($"{host}:{port} accepted registration id '{registrationId}' in ID scope {idScope} over mutual TLS (not registered: 'deviceagent provision' does that)");
        }
        catch (ProvisioningException e)
        {
            return this.Failed($"{host}:{port}: {e.Message}; {e.LikelyCause}");
        }
        catch (Exception e) when (e is TlsConnectionException or MqttCommunicationException or KeyCustodyException or IOException)
        {
            return this.Failed($"{host}:{port}: {e.Message}");
        }
    }
}
