using DeviceAgent.TestPeers;

namespace Factory.Tests.Support;

/// <summary>The openssl command-line tool as a real peer; missing, it fails the test with how to install it.</summary>
internal static class Openssl
{
    public static async Task<ProcessResult> RunAsync(Workspace workspace, params string[] arguments)
    {
        var program = ExternalProcess.Require("openssl", "openssl");
        return await ExternalProcess.RunAsync(program, arguments, timeout: TimeSpan.FromSeconds(60), workingDirectory: workspace.Path);
    }

    /// <summary>openssl verify as a TLS server verifies a client: the root as the only anchor, the intermediates untrusted.</summary>
    public static Task<ProcessResult> VerifyChainAsync(Workspace workspace, string root, string intermediates, string leaf) =>
        new FileInfo(System.IO.Path.Combine(workspace.Path, intermediates)).Length == 0
            ? RunAsync(workspace, "verify", "-CAfile", root, "-purpose", "sslclient", leaf) // a leaf issued by the root itself
            : RunAsync(workspace, "verify", "-CAfile", root, "-untrusted", intermediates, "-purpose", "sslclient", leaf);
}
