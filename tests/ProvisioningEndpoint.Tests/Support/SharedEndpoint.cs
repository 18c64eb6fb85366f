namespace ProvisioningEndpoint.Tests.Support;

/// <summary>One endpoint shared by the tests of a class (for tests that leave no state another depends on).</summary>
public sealed class SharedEndpoint : IAsyncLifetime
{
    internal EndpointUnderTest Endpoint { get; private set; } = null!;

    internal RestClient Provisioning { get; private set; } = null!;

    internal RestClient Registry { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Endpoint = await EndpointUnderTest.StartAsync();
        Provisioning = RestClient.Provisioning(Endpoint);
        Registry = RestClient.HubRegistry(Endpoint);
    }

    public async Task DisposeAsync()
    {
        Provisioning.Dispose();
        Registry.Dispose();
        await Endpoint.DisposeAsync();
    }
}
