using DeviceAgent.TestPeers;

namespace DeviceAgent.Keys.Tests.Tokens;

/// <summary>Real peers: swtpm+tpm2-abrmd+tpm2-pkcs11 and SoftHSM2, started once for these tests.</summary>
[CollectionDefinition(Name)]
public sealed class TokenPeers : ICollectionFixture<TokenSimulators>
{
    public const string Name = "fvt tokens (swtpm, SoftHSM2)";
}
