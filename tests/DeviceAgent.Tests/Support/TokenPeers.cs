using DeviceAgent.TestPeers;

namespace DeviceAgent.Tests.Support;

/// <summary>Real peers: swtpm+tpm2-abrmd+tpm2-pkcs11 and SoftHSM2, shared by these tests.</summary>
[CollectionDefinition(Name)]
public sealed class TokenPeers : ICollectionFixture<TokenSimulators>
{
    public const string Name = "fvt tokens for deviceagent (swtpm, SoftHSM2)";
}
