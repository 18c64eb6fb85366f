namespace DeviceAgent.TestPeers;

/// <summary>
/// The repository's executables as built, each from its own output directory (with its own
/// dependencies and runtime configuration), in the configuration the tests were built in.
/// </summary>
public static class BuiltPrograms
{
    /// <summary>src/DeviceAgent: deviceagent.dll.</summary>
    public static string DeviceAgent => Find("DeviceAgent", "deviceagent.dll");

    /// <summary>src/ProvisioningEndpoint: provisioning-endpoint.dll.</summary>
    public static string ProvisioningEndpoint => Find("ProvisioningEndpoint", "provisioning-endpoint.dll");

    /// <summary>src/Factory: bringup.dll.</summary>
    public static string Bringup => Find("Factory", "bringup.dll");

    private static string Find(string project, string assembly)
    {
        // Tests run from tests/X/bin/{Configuration}/{tfm}/.
        var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
        var configuration = tfm.Parent!.Name;
        var path = Path.Combine(RepositoryPaths.Root, "src", project, "bin", configuration, tfm.Name, assembly);
        return File.Exists(path) ? path : throw new InvalidOperationException($"{path} is not built; run ./build.sh build");
    }
}
