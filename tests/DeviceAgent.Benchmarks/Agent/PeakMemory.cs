using System.Globalization;

namespace DeviceAgent.Benchmarks.Agent;

/// <summary>
/// Peak resident set size of a running process and of its descendants: <c>VmHWM</c> of
/// /proc/PID/status, summed over the process tree (an upper bound of the tree's peak when
/// there are children; the processes counted are reported). Linux only; read it before the
/// process is stopped, since /proc forgets it at exit.
/// </summary>
internal static class PeakMemory
{
    /// <summary>The summed VmHWM in bytes and how many processes it covers.</summary>
    /// <exception cref="InvalidOperationException">The process is gone (its VmHWM cannot be read).</exception>
    public static (long Bytes, int Processes) OfTree(int pid)
    {
        var tree = new List<int> { pid };
        var parents = ParentsOfAll();
        for (var i = 0; i < tree.Count; i++)
            tree.AddRange(parents.Where(p => p.Value == tree[i]).Select(p => p.Key));
        long bytes = 0;
        var counted = 0;
        foreach (var member in tree)
        {
            if (HighWaterMark(member) is { } value)
            {
                bytes += value;
                counted++;
            }
            else if (member == pid)
            {
                throw new InvalidOperationException($"process {pid} has no VmHWM in /proc (it has exited)");
            }
        }
        return (bytes, counted);
    }

    private static long? HighWaterMark(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // exited meanwhile
        }
    }

    // pid -> parent pid of every process; field 4 of /proc/PID/stat, after the parenthesised name.
    private static Dictionary<int, int> ParentsOfAll()
    {
        var parents = new Dictionary<int, int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // exited meanwhile
            }
        }
        return parents;
    }
}
