using System.Text.Json.Nodes;

namespace DeviceAgent.Tests.Support;

/// <summary>Writes an agent.json for a device under test against an endpoint process.</summary>
internal static class AgentConfigFile
{
    public static string Write(DeviceUnderTest device, EndpointProcess endpoint, string stateDirectory, int telemetryIntervalSeconds = 1)
    {
        var config = new JsonObject
        {
            ["identity"] = new JsonObject
            {
                ["module"] = device.Token.ModulePath,
                ["key"] = device.Key.Text,
                ["pinFile"] = device.Token.PinFile,
                ["chain"] = device.ChainPath,
            },
            ["provisioning"] = new JsonObject
            {
                ["endpoint"] = endpoint.DeviceEndpoint,
                ["idScope"] = endpoint.IdScope,
                ["trust"] = endpoint.ServerCaPath,
                ["payload"] = new JsonObject { ["model"] = "test-board" },
            },
            ["hub"] = new JsonObject { ["trust"] = endpoint.ServerCaPath, ["telemetryIntervalSeconds"] = telemetryIntervalSeconds },
            ["stateDirectory"] = stateDirectory,
            ["retry"] = new JsonObject
            {
                ["transientMinimumSeconds"] = 0.2, ["transientMaximumSeconds"] = 2,
                ["refusedMinimumSeconds"] = 0.5, ["refusedMaximumSeconds"] = 2,
                ["reprovisionMinimumSeconds"] = 0.5, ["reprovisionMaximumSeconds"] = 2,
            },
        };
        var path = Path.Combine(device.Directory, "agent.json");
        File.WriteAllText(path, config.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        return path;
    }
}
