using System.Text.RegularExpressions;

namespace DeviceAgent.TestPeers;

/// <summary>
/// OpenSC's pkcs11-spy: a PKCS#11 module that forwards every call to the real module and logs it,
/// so a test can count what the token was asked to do.
/// </summary>
public static partial class Pkcs11Spy
{
    /// <summary>The spy module's path.</summary>
    /// <exception cref="InvalidOperationException">OpenSC's pkcs11-spy is not installed.</exception>
    public static string ModulePath =>
        Directory.EnumerateDirectories("/usr/lib").Select(d => Path.Combine(d, "pkcs11", "pkcs11-spy.so")).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException(
            "the test peer pkcs11-spy.so is not installed; run './build.sh deps' as root, or: sudo apt-get install -y opensc");

    /// <summary>The environment that makes the spy forward to <paramref name="realModule"/> and log to <paramref name="logPath"/>.</summary>
    public static Dictionary<string, string> Environment(string realModule, string logPath) => new(StringComparer.Ordinal)
    {
        ["PKCS11SPY"] = realModule,
        ["PKCS11SPY_OUTPUT"] = logPath,
    };

    /// <summary>How many times each function was called, from a spy log.</summary>
    public static Dictionary<string, int> CountCalls(string log)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (Match match in CallLine().Matches(log))
            counts[match.Groups[1].Value] = counts.GetValueOrDefault(match.Groups[1].Value) + 1;
        return counts;
    }

    [GeneratedRegex(@"^\d+: (C_\w+)\s*$", RegexOptions.Multiline)]
    private static partial Regex CallLine();
}
