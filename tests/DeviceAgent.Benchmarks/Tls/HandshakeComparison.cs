using System.Diagnostics;
using System.Globalization;

namespace DeviceAgent.Benchmarks.Tls;

/// <summary>
/// Handshake rates with the key in software, SoftHSM2, swtpm through tpm2-abrmd + tpm2-pkcs11
/// ("tpm") and swtpm through our own TPM stack ("tpm-native"), the token and TPM keys through the
/// key-method bridge (the engine path it replaced measured 0.94x-1.09x of it, see the README),
/// side by side: one worker process per key location sets up in parallel, then the workers run one
/// at a time in interleaved rounds, so all see the same machine state. Prints the median rate of
/// each, the ratios, and for tpm-native the TPM2_Sign commands per handshake counted on the wire.
/// Both TPM paths use a swtpm of their own on the same machine.
/// </summary>
public static class HandshakeComparison
{
    private static readonly string[] s_locations = ["software", "file", "softhsm", "tpm", "tpm-native"];

    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 7;
        var seconds = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 2;
        var self = Environment.ProcessPath!;
        var assembly = typeof(HandshakeComparison).Assembly.Location;
        var workers = s_locations.ToDictionary(l => l, l => Start(self, assembly, l));
        try
        {
            foreach (var (location, worker) in workers)
            {
                var ready = await worker.StandardOutput.ReadLineAsync();
                if (ready != "ready")
                    throw new InvalidOperationException($"the {location} worker did not start: {ready} {await worker.StandardError.ReadToEndAsync()}");
            }
            var rates = s_locations.ToDictionary(l => l, _ => new List<double>());
            var signsPerHandshake = new List<double>();
            for (var round = 0; round < rounds; round++)
            {
                foreach (var location in s_locations)
                {
                    var worker = workers[location];
                    await worker.StandardInput.WriteLineAsync(seconds.ToString(CultureInfo.InvariantCulture));
                    await worker.StandardInput.FlushAsync();
                    var answer = (await worker.StandardOutput.ReadLineAsync())!.Split(' ');
                    rates[location].Add(double.Parse(answer[0], CultureInfo.InvariantCulture));
                    if (answer.Length > 1)
                        signsPerHandshake.Add(double.Parse(answer[1], CultureInfo.InvariantCulture));
                }
            }
            var medians = s_locations.ToDictionary(l => l, l => Median(rates[l]));
            Console.WriteLine($"mutual-TLS 1.3 handshakes/s, {rounds} interleaved rounds of {seconds} s, median (all rounds):");
            foreach (var location in s_locations)
                Console.WriteLine($"  {location,-9} {medians[location],8:0.0}/s   ({string.Join(" ", rates[location].Select(r => r.ToString("0", CultureInfo.InvariantCulture)))})");
            Console.WriteLine($"ratio tpm-native/tpm (pkcs11) = {medians["tpm-native"] / medians["tpm"]:0.00}x  (goal: >= 1x)");
            Console.WriteLine($"ratio software/tpm-native     = {medians["software"] / medians["tpm-native"]:0.00}x");
            Console.WriteLine($"ratio software/tpm (pkcs11)   = {medians["software"] / medians["tpm"]:0.00}x  (target: <= 2x)");
            Console.WriteLine($"tpm-native: TPM2_Sign per handshake on the wire = {string.Join(" ", signsPerHandshake.Select(s => s.ToString("0.00", CultureInfo.InvariantCulture)))} (per round); other TPM commands: none when 1.00 and equal to all commands");
            Console.WriteLine($"ratio software/softhsm        = {medians["software"] / medians["softhsm"]:0.00}x");
            Console.WriteLine($"ratio software/file (bridge)  = {medians["software"] / medians["file"]:0.00}x");
            return 0;
        }
        finally
        {
            foreach (var worker in workers.Values)
            {
                worker.StandardInput.Close();
                if (!worker.WaitForExit(30_000))
                    worker.Kill(entireProcessTree: true);
                worker.Dispose();
            }
        }
    }

    /// <summary>The worker: sets up its rig, says "ready", then for each duration read runs handshakes and prints the rate.</summary>
    public static async Task<int> WorkAsync(string location)
    {
        await using var rig = await HandshakeRig.StartAsync(location);
        for (var i = 0; i < 20; i++)
            await rig.HandshakeAsync(); // warm-up
        Console.WriteLine("ready");
        while (await Console.In.ReadLineAsync() is { } line)
        {
            var duration = TimeSpan.FromSeconds(double.Parse(line, CultureInfo.InvariantCulture));
            var count = 0;
            rig.TpmCommands?.Reset();
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < duration)
            {
                await rig.HandshakeAsync();
                count++;
            }
            var rate = (count / watch.Elapsed.TotalSeconds).ToString("0.0", CultureInfo.InvariantCulture);
            // Signatures made: TPM2_Sign commands sent, less those answered TPM_RC_RETRY (sent again).
            if (rig.TpmCommands is { } commands)
            {
                var signs = commands.CountOf(DeviceAgent.Tpm.Constants.TpmCc.Sign) - commands.BusyResponses;
                var other = commands.Total - commands.CountOf(DeviceAgent.Tpm.Constants.TpmCc.Sign);
                if (other != 0)
                    await Console.Error.WriteLineAsync($"tpm-native: {other} TPM command(s) other than TPM2_Sign during the round");
                Console.WriteLine($"{rate} {((double)signs / count).ToString("0.00", CultureInfo.InvariantCulture)}");
            }
            else
            {
                Console.WriteLine(rate);
            }
        }
        return rig.Server.Refused == 0 ? 0 : 1;
    }

    private static Process Start(string self, string assembly, string location)
    {
        var info = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (!self.EndsWith("DeviceAgent.Benchmarks", StringComparison.Ordinal))
            info.ArgumentList.Add(assembly); // running under `dotnet`
        info.ArgumentList.Add("tls-handshake-worker");
        info.ArgumentList.Add(location);
        return Process.Start(info)!;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
