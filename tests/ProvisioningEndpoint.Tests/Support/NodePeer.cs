using DeviceAgent.TestPeers;

namespace ProvisioningEndpoint.Tests.Support;

/// <summary>Runs the scripts of tests/node (the official Azure IoT Node.js SDKs) as real peers.</summary>
internal static class NodePeer
{
    public static async Task<ProcessResult> RunAsync(string script, IReadOnlyDictionary<string, string> environment, TimeSpan? timeout = null)
    {
        var node = ExternalProcess.Require("node", "nodejs");
        var directory = Path.Combine(RepositoryPaths.Root, "tests", "node");
        if (!Directory.Exists(Path.Combine(directory, "node_modules", "azure-iot-provisioning-device-mqtt")))
            throw new InvalidOperationException($"the Node.js test peers are not installed in {directory}; run './build.sh deps'");
        return await ExternalProcess.RunAsync(node, [Path.Combine(directory, script)], environment, timeout ?? TimeSpan.FromSeconds(60), workingDirectory: directory);
    }
}
