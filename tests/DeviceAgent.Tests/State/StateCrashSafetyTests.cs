using System.Diagnostics;
using DeviceAgent.State;
using DeviceAgent.TestPeers;

namespace DeviceAgent.Tests.State;

/// <summary>
/// Crash safety of the agent's state: a process writing state through StateStore is killed with
/// SIGKILL at random moments, many times; afterwards the state file is always a complete old or
/// new state, never torn, never missing once written, and never older than the last completed write.
/// </summary>
public sealed class StateCrashSafetyTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("state-crash.");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task Kill_9_during_state_writes_never_leaves_a_corrupt_state()
    {
        var harness = BuiltPrograms.CrashHarness;
        var store = new StateStore(_dir.FullName);
        var random = new Random(20261122);
        var kills = 0;

        for (var round = 0; round < 25; round++)
        {
            using var process = Process.Start(ExternalProcess.StartInfo("dotnet", [harness, _dir.FullName]))!;
            long lastCompleted = 0;
            // Wait until it is writing, then kill it at a random moment.
            var first = await process.StandardOutput.ReadLineAsync();
            Assert.NotNull(first);
            await Task.Delay(random.Next(1, 60));
            Signals.Send(process, Signals.SIGKILL);
            kills++;
            await process.WaitForExitAsync();
            foreach (var line in (first + "\n" + await process.StandardOutput.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries))
                lastCompleted = long.Parse(line, System.Globalization.CultureInfo.InvariantCulture);

            var state = store.Load(); // throws if torn or unparsable
            Assert.NotNull(state);
            var sequence = long.Parse(state.DeviceId["device-".Length..], System.Globalization.CultureInfo.InvariantCulture);
            // The state is the last completed write, or the one in flight when the process died.
            Assert.InRange(sequence, lastCompleted, lastCompleted + 1);
            Assert.Equal($"hub-{sequence}.example", state.AssignedHub);
            Assert.Equal((int)(sequence % 4096), state.ReturnedPayload!.Length);
        }

        Assert.Equal(25, kills);
        // No temporary files are left to grow the directory.
        Assert.True(_dir.GetFiles(".state.json*tmp").Length <= 1, string.Join(", ", _dir.GetFiles().Select(f => f.Name)));
    }
}
