namespace ProvisioningEndpoint.Tests.Rest;

/// <summary>Every route of the REST API, for theories that must hold on each.</summary>
internal static class RestRoutes
{
    /// <summary>Routes of the REST port (provisioning service and /hubs).</summary>
    public static readonly (string Method, string Path)[] Provisioning =
    [
        ("PUT", "/enrollments/device-1"), ("GET", "/enrollments/device-1"), ("DELETE", "/enrollments/device-1"), ("POST", "/enrollments/query"),
        ("PUT", "/enrollmentGroups/group-1"), ("GET", "/enrollmentGroups/group-1"), ("DELETE", "/enrollmentGroups/group-1"), ("POST", "/enrollmentGroups/query"),
        ("GET", "/registrations/device-1"), ("DELETE", "/registrations/device-1"), ("POST", "/registrations/group-1/query"),
        ("PUT", "/certificates/root"), ("GET", "/certificates/root"), ("GET", "/certificates"), ("DELETE", "/certificates/root"),
        ("POST", "/certificates/root/generateVerificationCode"), ("POST", "/certificates/root/verify"),
        ("GET", "/hubs"), ("GET", "/hubs/hub1/devices"), ("GET", "/hubs/hub1/devices/device-1"), ("PUT", "/hubs/hub1/devices/device-1"),
        ("DELETE", "/hubs/hub1/devices/device-1"), ("GET", "/hubs/hub1/twins/device-1"), ("GET", "/hubs/hub1/devices/device-1/messages/events"),
    ];

    /// <summary>Routes of a hub's registry port, as IoT Hub service clients call them.</summary>
    public static readonly (string Method, string Path)[] Registry =
    [
        ("GET", "/devices"), ("GET", "/devices/"), ("GET", "/devices/device-1"), ("PUT", "/devices/device-1"), ("DELETE", "/devices/device-1"),
        ("GET", "/twins/device-1"), ("GET", "/devices/device-1/messages/events"),
    ];

    public static TheoryData<string, string> ProvisioningRoutes() => Data(Provisioning);

    public static TheoryData<string, string> RegistryRoutes() => Data(Registry);

    private static TheoryData<string, string> Data((string Method, string Path)[] routes)
    {
        var data = new TheoryData<string, string>();
        foreach (var (method, path) in routes)
            data.Add(method, path);
        return data;
    }
}
