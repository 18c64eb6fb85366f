namespace ProvisioningEndpoint.Tests.Support;

/// <summary>
/// The arrangement most scenario tests start from: the <see cref="FiveDevices"/> hierarchy and a
/// fresh endpoint on which its root is uploaded and verified (no enrollment yet).
/// </summary>
internal sealed class FiveDevicesOnEndpoint : IAsyncDisposable
{
    private FiveDevicesOnEndpoint(FiveDevices pki, EndpointUnderTest endpoint)
    {
        Pki = pki;
        Endpoint = endpoint;
    }

    public FiveDevices Pki { get; }

    public EndpointUnderTest Endpoint { get; }

    public static async Task<FiveDevicesOnEndpoint> StartAsync()
    {
        var pki = new FiveDevices();
        try
        {
            var endpoint = await EndpointUnderTest.StartAsync();
            await endpoint.Store.UploadCaAsync("root", pki.Root.Certificate, verified: true);
            return new FiveDevicesOnEndpoint(pki, endpoint);
        }
        catch
        {
            pki.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Endpoint.DisposeAsync();
        Pki.Dispose();
    }
}
