using DeviceAgent.TestPeers;

namespace Factory.Tests.Support;

/// <summary>Real peers: swtpm+tpm2-abrmd+tpm2-pkcs11 (device keys) and SoftHSM2 (CA keys), started once for these tests.</summary>
[CollectionDefinition(Name)]
public sealed class FactoryPeers : ICollectionFixture<TokenSimulators>
{
    public const string Name = "fvt tokens for bringup (swtpm, SoftHSM2)";
}
