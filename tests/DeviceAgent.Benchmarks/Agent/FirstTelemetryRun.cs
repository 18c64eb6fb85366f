using System.Diagnostics;
using System.Text;
using DeviceAgent.TestPeers;
using ProvisioningEndpoint.Model;
using ProvisioningEndpoint.Storage;

namespace DeviceAgent.Benchmarks.Agent;

/// <summary>
/// One device program from process start to its first telemetry message at the hub, then stopped.
/// Timing: wall clock from just before the process is started to the hub's receive stamp of the
/// device's first message (the endpoint takes it when it handles the PUBLISH it has just queued and
/// acknowledged, so it is the same instant for every client, free of the store's commit and of the
/// polling interval). The store is polled every 5 ms to notice the message; that detection time is
/// kept too, as a check. Then the peak RSS of the process tree is read and the process gets SIGTERM.
/// </summary>
internal static class FirstTelemetryRun
{
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromSeconds(20);

    /// <summary>Runs the program once.</summary>
    /// <exception cref="InvalidOperationException">It exited early, sent nothing within a minute, or did not stop cleanly; the message holds its output.</exception>
    public static async Task<RunResult> MeasureAsync(DeviceProgram program, IProvisioningStore store, CancellationToken cancellationToken)
    {
        var output = new List<(double Milliseconds, string Line)>();
        var startedUtc = DateTimeOffset.UtcNow;
        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(program.StartInfo) ?? throw new InvalidOperationException($"{program.StartInfo.FileName} did not start");
        DataReceivedEventHandler collect = (_, e) =>
        {
            if (e.Data is not null)
                lock (output) output.Add((Stopwatch.GetElapsedTime(started).TotalMilliseconds, e.Data));
        };
        process.OutputDataReceived += collect;
        process.ErrorDataReceived += collect;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            TelemetryMessage? first = null;
            while (first is null)
            {
                var received = await store.ListTelemetryAsync("hub1", program.RegistrationId, 16, cancellationToken);
                if (received.Count > 0)
                {
                    first = received[0]; // oldest first
                    break;
                }
                if (process.HasExited)
                    throw Failure(program, $"exited with {process.ExitCode} before its first telemetry", output);
                if (Stopwatch.GetElapsedTime(started) > s_timeout)
                    throw Failure(program, $"sent no telemetry within {s_timeout.TotalSeconds:0} s", output);
                await Task.Delay(s_pollInterval, cancellationToken);
            }
            var detected = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var (peak, processes) = PeakMemory.OfTree(process.Id);

            var stopping = Stopwatch.GetTimestamp();
            Signals.Send(process, Signals.SIGTERM);
            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                wait.CancelAfter(s_stopTimeout);
                try
                {
                    await process.WaitForExitAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw Failure(program, $"did not stop within {s_stopTimeout.TotalSeconds:0} s of SIGTERM", output);
                }
            }
            process.WaitForExit(); // drains the output readers
            var stopped = Stopwatch.GetElapsedTime(stopping).TotalMilliseconds;
            if (process.ExitCode != 0)
                throw Failure(program, $"exited with {process.ExitCode} after SIGTERM (expected 0)", output);
            lock (output)
            {
                return new RunResult(program.Client, program.RegistrationId, (first.ReceivedUtc - startedUtc).TotalMilliseconds, detected,
                    peak, processes, stopped, [.. output]);
            }
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
            }
        }
    }

    private static InvalidOperationException Failure(DeviceProgram program, string what, List<(double Milliseconds, string Line)> output)
    {
        var transcript = new StringBuilder();
        lock (output)
        {
            foreach (var (milliseconds, line) in output)
                transcript.Append(FormattableString.Invariant($"  {milliseconds,8:0.0} ms  {line}\n"));
        }
        return new InvalidOperationException($"{program.Client} {program.RegistrationId} {what}; its output:\n{transcript}");
    }
}

/// <summary>The figures of one run.</summary>
/// <param name="Client">agent or node.</param>
/// <param name="RegistrationId">The device.</param>
/// <param name="FirstTelemetryMilliseconds">Process start to the hub's receive stamp of the first message.</param>
/// <param name="DetectedMilliseconds">Process start to the store poll that saw the message.</param>
/// <param name="PeakRssBytes">Summed VmHWM of the process tree, read while it ran.</param>
/// <param name="Processes">How many processes that sum covers.</param>
/// <param name="StopMilliseconds">SIGTERM to exit (code 0).</param>
/// <param name="Output">Its stdout and stderr lines with their arrival time since process start.</param>
internal sealed record RunResult(string Client, string RegistrationId, double FirstTelemetryMilliseconds, double DetectedMilliseconds,
    long PeakRssBytes, int Processes, double StopMilliseconds, IReadOnlyList<(double Milliseconds, string Line)> Output)
{
    /// <summary>Arrival time of the first output line containing <paramref name="marker"/>, or NaN.</summary>
    public double LineTime(string marker) =>
        Output.FirstOrDefault(o => o.Line.Contains(marker, StringComparison.Ordinal)) is { Line: not null } hit ? hit.Milliseconds : double.NaN;
}
