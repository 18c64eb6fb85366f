namespace DeviceAgent.TestPeers;

/// <summary>
/// The repository's executables as built, each from its own output directory (with its own
/// dependencies and runtime configuration), in the configuration the tests were built in.
/// </summary>
public static class BuiltPrograms
{
    /// <summary>src/DeviceAgent: deviceagent.dll.</summary>
    public static string DeviceAgent => Find("src/DeviceAgent", "deviceagent.dll");

    /// <summary>src/ProvisioningEndpoint: provisioning-endpoint.dll.</summary>
    public static string ProvisioningEndpoint => Find("src/ProvisioningEndpoint", "provisioning-endpoint.dll");

    /// <summary>src/Factory: bringup.dll.</summary>
    public static string Bringup => Find("src/Factory", "bringup.dll");

    /// <summary>tests/DeviceAgent.CrashHarness: the state writer the crash-safety test kills.</summary>
    public static string CrashHarness => Find("tests/DeviceAgent.CrashHarness", "DeviceAgent.CrashHarness.dll");

    /// <summary>The build configuration the tests run in (Debug, Release): tests run from tests/X/bin/{Configuration}/{tfm}/.</summary>
    public static string Configuration => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Parent!.Name;

    private static string Find(string project, string assembly)
    {
        var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Name;
        var path = Path.Combine(RepositoryPaths.Root, project, "bin", Configuration, tfm, assembly);
        return File.Exists(path) ? path : throw new InvalidOperationException($"{path} is not built; run ./build.sh build");
    }
}
