using DeviceAgent.Fuzz.Targets;

namespace DeviceAgent.Fuzz;

/// <summary>Every fuzz target, by name.</summary>
internal static class FuzzTargets
{
    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        ChainBundleTarget.Target,
        CertificationRequestTarget.Target,
        DpsJsonTarget.Target,
        RestBodyTarget.Target,
        Pkcs11UriTarget.Target,
        AgentConfigurationTarget.Target,
    ];

    public static FuzzTarget? Find(string name) => All.FirstOrDefault(t => t.Name == name);
}
