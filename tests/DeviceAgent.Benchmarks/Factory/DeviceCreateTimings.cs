using System.Globalization;
using DeviceAgent.Keys;
using DeviceAgent.Keys.Pkcs11;
using DeviceAgent.Pki.Authority;
using DeviceAgent.Pki.DeviceIdentities;
using DeviceAgent.Pki.Registration;
using DeviceAgent.TestPeers;

namespace DeviceAgent.Benchmarks.Factory;

/// <summary>
/// Where the time of one <c>bringup device create</c> goes with the device key in swtpm (behind
/// tpm2-abrmd and tpm2-pkcs11): generating the key in the TPM, signing the request with it,
/// issuing the leaf (file CA key, decrypted once) and writing the identity. Runs the same code as
/// the command, device after device; the first device (cold: JIT, first TPM session) is shown
/// apart. Prints the median and the 90th percentile of each step, and each step's share.
/// </summary>
public static class DeviceCreateTimings
{
    public static async Task<int> RunAsync(string[] args)
    {
        var devices = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 25;
        using var tpm = await TokenSimulator.StartAsync(TokenKind.Tpm);
        tpm.ApplyToProcess();
        using var rig = await IssuanceRig.StartAsync("file", 0);
        var issuer = new DeviceIdentityIssuer(rig.Line, new RegistrationLedger(), new KeyBackends());
        var timings = new List<DeviceIssuanceTimings>(devices);
        for (var i = 0; i < devices + 1; i++)
        {
            var id = RegistrationId.Parse(FormattableString.Invariant($"timed-{i:D4}"));
            var key = KeyReference.Parse(Pkcs11Uri.ForPrivateKey(tpm.TokenLabel, id.Value).ToString(), tpm.ModulePath, PinSource.FromFile(tpm.PinFile));
            var identity = issuer.CreateInToken(key, KeyAlgorithm.EcP256, id, Path.Combine(rig.Directory, "devices", id.Value), TimeSpan.FromDays(365));
            if (identity.Outcome != DeviceIdentityOutcome.Issued || identity.KeyExisted != false)
                throw new InvalidOperationException($"{id}: {identity.Outcome}, key existed: {identity.KeyExisted}");
            timings.Add(identity.Timings);
        }

        var cold = timings[0];
        var warm = timings.Skip(1).ToList();
        Console.WriteLine($"device create with the key in swtpm (EC P-256), {devices} devices after one cold start; milliseconds:");
        Console.WriteLine($"  {"step",-22} {"median",8} {"p90",8} {"share",7} {"cold",8}");
        Row("key generation in TPM", warm.Select(t => t.KeyGeneration), cold.KeyGeneration, warm);
        Row("request signing (TPM)", warm.Select(t => t.RequestSigning), cold.RequestSigning, warm);
        Row("issuance + validation", warm.Select(t => t.Issuance), cold.Issuance, warm);
        Row("writing chain + root", warm.Select(t => t.Writing), cold.Writing, warm);
        Row("total", warm.Select(t => t.Total), cold.Total, warm);
        Console.WriteLine(FormattableString.Invariant($"  devices/s (median total): {1000 / Milliseconds(warm.Select(t => t.Total), 0.5):0.0}"));
        return 0;
    }

    private static void Row(string step, IEnumerable<TimeSpan> values, TimeSpan cold, List<DeviceIssuanceTimings> all)
    {
        var list = values.ToList();
        var share = list.Sum(v => v.TotalMilliseconds) / all.Sum(t => t.Total.TotalMilliseconds);
        Console.WriteLine(FormattableString.Invariant(
            $"  {step,-22} {Milliseconds(list, 0.5),8:0.0} {Milliseconds(list, 0.9),8:0.0} {share,7:P0} {cold.TotalMilliseconds,8:0.0}"));
    }

    private static double Milliseconds(IEnumerable<TimeSpan> values, double quantile)
    {
        var sorted = values.Select(v => v.TotalMilliseconds).Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Round(quantile * (sorted.Length - 1)))];
    }
}
