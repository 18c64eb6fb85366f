using System.Diagnostics;

namespace DeviceAgent.Mqtt.Tests.Peers;

/// <summary>Kills a peer process that is still running when the test leaves (e.g. on failure).</summary>
internal sealed class KillOnDispose(Process process) : IDisposable
{
    public void Dispose()
    {
        if (!process.HasExited)
            process.Kill(entireProcessTree: true);
    }
}
