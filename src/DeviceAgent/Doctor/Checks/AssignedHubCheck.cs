using DeviceAgent.Hub;
using DeviceAgent.Keys;
using DeviceAgent.Pki.Tls;
using DeviceAgent.State;
using MQTTnet.Exceptions;

namespace DeviceAgent.Doctor.Checks;

/// <summary>
/// The hub the device was assigned to still accepts it: mutual TLS and an MQTT CONNECT as the
/// device. A refusal means the device was disabled, deleted or re-keyed since it provisioned.
/// </summary>
internal sealed class AssignedHubCheck : IDoctorCheck
{
    public string Id => "assigned-hub";

    public string Title => "assigned hub accepts the device";

    public async Task<DoctorCheckResult> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        var agent = context.Settings.Agent;
        if (agent is null)
            return this.Skipped("no agent configuration (--config)");
        AgentState? state;
        try
        {
            state = new StateStore(agent.StateDirectory).Load();
        }
        catch (StateException e)
        {
            return this.Failed(e.Message);
        }
        if (state is not { IsAssigned: true })
            return this.Skipped($"not provisioned yet (no assignment in {agent.StateDirectory})");
        if (this.SkipUnlessPassed(context, "chain", "chain bundle is valid and matches the key") is { } skipped)
            return skipped;
        if (!string.Equals(state.CertificateThumbprint, context.Bundle!.Leaf.Thumbprint, StringComparison.OrdinalIgnoreCase))
            return this.Warning($"the certificate changed since provisioning ({state.CertificateThumbprint} -> {context.Bundle.Leaf.Thumbprint}): the agent provisions again at its next start");
        try
        {
            var trust = agent.Hub.Trust is null ? TlsServerTrust.SystemStore : TlsServerTrust.FromPemFile(agent.Hub.Trust);
            await using var hub = await HubSession.ConnectAsync(state, context.TlsIdentity(), trust, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            return this.Ok($"hub {state.AssignedHub} accepted device '{state.DeviceId}' (provisioned {state.RegisteredUtc:yyyy-MM-dd HH:mm}Z)");
        }
        catch (HubRefusedException e)
        {
            return this.Failed($"{e.Message}; the device may have been disabled, deleted or re-keyed in the hub: the agent provisions again, or run 'deviceagent reset'");
        }
        catch (Exception e) when (e is TlsConnectionException or MqttCommunicationException or KeyCustodyException or IOException)
        {
            return this.Failed($"hub {state.AssignedHub}: {e.Message}");
        }
    }
}
