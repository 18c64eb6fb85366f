using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DeviceAgent.Mqtt.Tests.Peers;

/// <summary>Finding and running the real peers. A missing one fails the test with what to install.</summary>
internal static class PeerTools
{
    /// <summary>The full path of <paramref name="program"/> on PATH.</summary>
    /// <exception cref="InvalidOperationException">It is not installed; the message says how to get it.</exception>
    public static string Require(string program, string install)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries).Append("/usr/sbin").Append("/sbin"))
        {
            var path = Path.Combine(dir, program);
            if (File.Exists(path))
                return path;
        }
        throw new InvalidOperationException($"the real-peer test needs '{program}', which is not installed: {install} (./build.sh deps installs every test peer)");
    }

    /// <summary>tests/node with its node_modules (npm ci).</summary>
    public static string NodeProject()
    {
        Require("node", "apt-get install nodejs npm");
        var folder = Path.Combine(Support.RepositoryPaths.Root(), "tests", "node");
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "mqtt")))
            throw new InvalidOperationException($"the npm 'mqtt' client is not installed in {folder}: run 'npm ci' there (./build.sh deps does)");
        return folder;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Runs a program to its end (bounded) and returns exit code and output.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string file, IEnumerable<string> arguments, TimeSpan timeout, string? workingDirectory = null)
    {
        using var process = Start(file, arguments, workingDirectory);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"{Path.GetFileName(file)} did not finish within {timeout.TotalSeconds} s; stdout: {await output}; stderr: {await error}");
        }
        return (process.ExitCode, await output, await error);
    }

    public static Process Start(string file, IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        return Process.Start(info) ?? throw new InvalidOperationException("could not start " + file);
    }

    /// <summary>Waits until something listens on the port (a real connect), up to <paramref name="timeout"/>.</summary>
    public static async Task WaitForListenerAsync(int port, TimeSpan timeout, Func<bool> gaveUp)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !gaveUp())
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(20);
            }
        }
        throw new TimeoutException($"nothing listens on 127.0.0.1:{port}");
    }
}
