using DeviceAgent.TestPeers;

namespace ProvisioningEndpoint.Tests.Support;

/// <summary>
/// The hierarchy of the DPS documentation: root -> certificate A -> devices 1, 2, 3;
/// root -> certificate B -> devices 4, 5.
/// </summary>
internal sealed class FiveDevices : IDisposable
{
    public FiveDevices()
    {
        Root = TestCa.CreateRoot("Contoso Root CA");
        A = Root.IssueIntermediate("Contoso Certificate A");
        B = Root.IssueIntermediate("Contoso Certificate B");
        Devices = [A.IssueDevice("device-1"), A.IssueDevice("device-2"), A.IssueDevice("device-3"), B.IssueDevice("device-4"), B.IssueDevice("device-5")];
    }

    public TestCa Root { get; }

    public TestCa A { get; }

    public TestCa B { get; }

    public IReadOnlyList<TestDevice> Devices { get; }

    /// <summary>Device n (1-based, as the documentation numbers them).</summary>
    public TestDevice this[int n] => Devices[n - 1];

    public void Dispose()
    {
        foreach (var device in Devices)
            device.Dispose();
        A.Dispose();
        B.Dispose();
        Root.Dispose();
    }
}
