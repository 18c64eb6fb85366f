using System.ComponentModel;
using System.Diagnostics;

namespace DeviceAgent.Pki.Tests.Support;

/// <summary>
/// Runs the openssl command-line tool as a real peer. A missing openssl fails the test with how
/// to install it; it never skips.
/// </summary>
internal static class Openssl
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    public static (int ExitCode, string Output) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("openssl did not start");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException("openssl is not installed or not on PATH; install it: sudo apt-get install -y openssl", e);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(s_timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"openssl {string.Join(' ', arguments)} did not finish within {s_timeout}");
            }

            return (process.ExitCode, output.GetAwaiter().GetResult() + error.GetAwaiter().GetResult());
        }
    }
}
