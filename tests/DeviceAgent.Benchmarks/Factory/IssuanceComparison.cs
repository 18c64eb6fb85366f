using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using DeviceAgent.TestPeers;

namespace DeviceAgent.Benchmarks.Factory;

/// <summary>
/// Leaf issuance from request files, side by side in interleaved rounds (so every contender sees
/// the same machine state): <c>openssl x509 -req</c> in a loop (one process per leaf, the CA key
/// unencrypted so openssl decrypts nothing: its best case) against bringup's issuance with the CA
/// key in an encrypted file and in SoftHSM2, the log fsynced per leaf or per batch of 100; and,
/// to separate the issuance engine from the file system, the same from requests already in memory
/// to PEM in memory. Prints the median rate of each and the ratios.
/// </summary>
public static class IssuanceComparison
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
        var leaves = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 500;
        var opensslLeaves = Math.Min(leaves, 50);
        var openssl = ExternalProcess.Require("openssl", "openssl");
        using var file = await IssuanceRig.StartAsync("file", leaves);
        using var hsm = await IssuanceRig.StartAsync("softhsm", leaves);
        var contenders = new (string Name, int Leaves, Func<string, int> Run)[]
        {
            ("openssl x509 -req (loop)", opensslLeaves, output => OpensslLoop(openssl, file, opensslLeaves, output)),
            ("bringup, file key, batch 100", leaves, output => file.IssueFromFiles(file.RequestFiles, output, 100)),
            ("bringup, file key, batch 100, in memory", leaves, _ => file.IssueFromRequests(file.RequestPem, 100, (_, _) => { })),
            ("bringup, file key, batch 1", leaves, output => file.IssueFromFiles(file.RequestFiles, output, 1)),
            ("bringup, SoftHSM2 key, batch 100", leaves, output => hsm.IssueFromFiles(hsm.RequestFiles, output, 100)),
            ("bringup, SoftHSM2 key, batch 1", leaves, output => hsm.IssueFromFiles(hsm.RequestFiles, output, 1)),
        };
        foreach (var contender in contenders)
            contender.Run(Path.Combine(file.Directory, "warm-up")); // JIT, page cache, openssl's shared libraries

        var rates = contenders.ToDictionary(c => c.Name, _ => new List<double>());
        for (var round = 0; round < rounds; round++)
        {
            foreach (var (name, count, run) in contenders)
            {
                var output = Path.Combine(file.Directory, $"round-{round}", name.Replace(' ', '-').Replace(',', '-'));
                var watch = Stopwatch.StartNew();
                var issued = run(output);
                watch.Stop();
                if (issued != count)
                    throw new InvalidOperationException($"{name} issued {issued} of {count}");
                rates[name].Add(count / watch.Elapsed.TotalSeconds);
            }
        }

        var medians = rates.ToDictionary(r => r.Key, r => Median(r.Value));
        Console.WriteLine($"leaf issuance from request files, {rounds} interleaved rounds ({leaves} leaves per bringup run, {opensslLeaves} per openssl run), median leaves/s:");
        foreach (var (name, _, _) in contenders)
            Console.WriteLine($"  {name,-40} {medians[name],9:0.0}/s   ({string.Join(" ", rates[name].Select(r => r.ToString("0", CultureInfo.InvariantCulture)))})");
        var opensslRate = medians[contenders[0].Name];
        foreach (var (name, _, _) in contenders.Skip(1))
            Console.WriteLine($"ratio {name} / openssl = {medians[name] / opensslRate:0.0}x");
        var target = medians["bringup, file key, batch 100, in memory"];
        Console.WriteLine($"target: >= 2000 leaves/s from requests with a file CA key (in memory): {(target >= 2000 ? "met" : "NOT met")} ({target:0}/s)");
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
        return 0;
    }

    private static int OpensslLoop(string openssl, IssuanceRig rig, int count, string output)
    {
        Directory.CreateDirectory(output);
        for (var i = 0; i < count; i++)
        {
            var serial = "0x" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            var info = new ProcessStartInfo(openssl)
            {
                UseShellExecute = false,
                RedirectStandardError = true,
                ArgumentList =
                {
                    "x509", "-req", "-in", rig.RequestFiles[i], "-CA", rig.LineCertificateFile, "-CAkey", rig.LineKeyFile, "-set_serial", serial,
                    "-days", "365", "-sha256", "-extfile", Path.Combine(rig.Directory, "device.ext"), "-out", Path.Combine(output, $"leaf-{i}.pem"),
                },
            };
            using var process = Process.Start(info)!;
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"openssl x509 -req failed: {error}");
        }
        return count;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
