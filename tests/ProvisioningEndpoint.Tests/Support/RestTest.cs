namespace ProvisioningEndpoint.Tests.Support;

/// <summary>
/// A REST API test: a fresh endpoint per test (removed after it), the five devices of the DPS
/// documentation, and a client of the provisioning service signed with the owner key.
/// </summary>
public abstract class RestTest(int hubs = 1) : IAsyncLifetime
{
    internal FiveDevices Pki { get; } = new();

    internal EndpointUnderTest Endpoint { get; private set; } = null!;

    internal RestClient Client { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        Endpoint = await EndpointUnderTest.StartAsync(hubs);
        Client = RestClient.Provisioning(Endpoint);
    }

    public virtual async Task DisposeAsync()
    {
        Client.Dispose();
        await Endpoint.DisposeAsync();
        Pki.Dispose();
    }
}
