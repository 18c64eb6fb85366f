using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Tls;
using DeviceAgent.Provisioning;
using DeviceAgent.Provisioning.Client;
using DeviceAgent.Provisioning.Transport;
using DeviceAgent.TestPeers;

namespace ProvisioningEndpoint.Tests.Support;

/// <summary>Registers a test device through the agent's own DPS client, over mutual TLS.</summary>
internal static class DeviceRegistration
{
    /// <summary>The assignment, or the refusal as a <see cref="ProvisioningException"/>.</summary>
    public static async Task<(DpsRegistrationResult? Result, ProvisioningException? Refusal)> RegisterAsync(
        this EndpointUnderTest endpoint, TestDevice device, bool sendIntermediates = true, string? registrationId = null, string? idScope = null)
    {
        using var bundle = ChainBundle.Create(device.FullChain, device.RegistrationId);
        return await endpoint.RegisterAsync(bundle, device.Key, registrationId ?? device.RegistrationId, sendIntermediates, idScope);
    }

    /// <summary>
    /// Registers a chain made with the openssl command line, presented (leaf and intermediate) by
    /// openssl s_client at security level 0, so that the endpoint, not this machine's client TLS
    /// stack, judges a weak chain; the agent's DPS client speaks MQTT through it.
    /// </summary>
    public static async Task<(DpsRegistrationResult? Result, ProvisioningException? Refusal)> RegisterAsync(this EndpointUnderTest endpoint, OpenSslChain chain)
    {
        var client = new DpsClient(
            _ => ValueTask.FromResult<Stream>(OpenSslClientStream.Start("localhost", endpoint.Configuration.DevicePort, chain, endpoint.ServerCaPath)),
            new DpsClientOptions { OverallTimeout = TimeSpan.FromSeconds(30), MaximumRetries = 1 });
        try
        {
            return (await client.RegisterAsync(endpoint.Configuration.IdScope, chain.RegistrationId, null, CancellationToken.None), null);
        }
        catch (ProvisioningException e)
        {
            return (null, e);
        }
    }

    private static async Task<(DpsRegistrationResult? Result, ProvisioningException? Refusal)> RegisterAsync(
        this EndpointUnderTest endpoint, ChainBundle bundle, System.Security.Cryptography.AsymmetricAlgorithm key, string registrationId,
        bool sendIntermediates = true, string? idScope = null)
    {
        using var identity = TlsClientIdentity.Create(bundle, key, sendIntermediates);
        var transport = new DpsTransport("localhost", endpoint.Configuration.DevicePort, identity, TlsServerTrust.FromPemFile(endpoint.ServerCaPath));
        var client = new DpsClient(transport.ConnectAsync, new DpsClientOptions { OverallTimeout = TimeSpan.FromSeconds(30), MaximumRetries = 1 });
        try
        {
            return (await client.RegisterAsync(idScope ?? endpoint.Configuration.IdScope, registrationId, null, CancellationToken.None), null);
        }
        catch (ProvisioningException e)
        {
            return (null, e);
        }
    }

    /// <summary>Registers and asserts the device was assigned; returns the assignment.</summary>
    public static async Task<DpsRegistrationResult> AssertAssignedAsync(this EndpointUnderTest endpoint, TestDevice device)
    {
        var (result, refusal) = await endpoint.RegisterAsync(device);
        Assert.True(result is not null, $"{device.RegistrationId} was refused: {refusal?.Message}");
        return result!;
    }

    /// <summary>Registers and asserts the device was refused with the given registration status (or an error status).</summary>
    public static async Task<ProvisioningException> AssertRefusedAsync(this EndpointUnderTest endpoint, TestDevice device, string? registrationStatus = null, int? status = null)
    {
        var (result, refusal) = await endpoint.RegisterAsync(device);
        Assert.True(result is null, $"{device.RegistrationId} was assigned to {result?.AssignedHub}, but must be refused");
        if (registrationStatus is not null)
            Assert.True(registrationStatus == refusal!.RegistrationStatus, $"expected registration status '{registrationStatus}', got: {refusal!.Message}");
        if (status is not null)
            Assert.True(status == refusal!.Status, $"expected status {status}, got: {refusal!.Message}");
        return refusal!;
    }
}
