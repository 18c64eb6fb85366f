using System.Text;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Rest.Auth;

namespace ProvisioningEndpoint.Hub;

/// <summary>
/// IoT Hub's SAS authentication of a device (the devices DPS provisioned by TPM attestation): the
/// MQTT password is <c>SharedAccessSignature sr={hub}/devices/{deviceId}&amp;sig=...&amp;se=...</c>
/// (no skn), signed with the device's symmetric key, unexpired. <c>{hub}</c> is the hub's host
/// name, with or without the port the device was assigned (<see cref="HubDefinition.AssignedHub"/>).
/// </summary>
public sealed class HubSasAuthenticator(TimeProvider clock)
{
    /// <summary>Null when <paramref name="password"/> authenticates <paramref name="deviceId"/>; else why not (never the token).</summary>
    public string? Refuse(HubDefinition hub, string deviceId, byte[] symmetricKey, ReadOnlyMemory<byte>? password)
    {
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(symmetricKey);
        if (password is not { Length: > 0 } bytes)
            return $"device '{deviceId}' authenticates by SAS token: send it as the MQTT password";
        SharedAccessSignature token;
        try
        {
            token = SharedAccessSignature.Parse(Encoding.UTF8.GetString(bytes.Span), requireKeyName: false);
        }
        catch (FormatException e)
        {
            return $"device '{deviceId}': {e.Message}";
        }
        var resource = token.DecodedResource;
        if (!string.Equals(resource, $"{hub.HostName}/devices/{deviceId}", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(resource, $"{hub.AssignedHub}/devices/{deviceId}", StringComparison.OrdinalIgnoreCase))
        {
            return $"device '{deviceId}' sent a SAS token for '{resource}', not '{hub.AssignedHub}/devices/{deviceId}'";
        }
        if (token.ExpiresUtc is not { } expires || expires <= clock.GetUtcNow())
            return $"device '{deviceId}' sent an expired SAS token; renew it";
        return token.IsSignedWith(symmetricKey) ? null : $"device '{deviceId}' sent a SAS token that does not verify with its key";
    }
}
