using System.Globalization;

namespace DeviceAgent.Fuzz;

/// <summary>
/// The command line:
/// <code>
///   DeviceAgent.Fuzz list
///   DeviceAgent.Fuzz instrument                      instrument the product assemblies beside it (the build does this)
///   DeviceAgent.Fuzz run TARGET SECONDS CORPUS [FINDINGS]   in-process, coverage-guided, bounded; exit 1 on a crash
///   DeviceAgent.Fuzz afl TARGET                      one AFL++ persistent-mode target (afl-fuzz -- dotnet DeviceAgent.Fuzz.dll afl TARGET)
///   DeviceAgent.Fuzz replay TARGET FILE...           run inputs once (a crash reproduces with its stack)
/// </code>
/// Exit codes: 0 no crash, 1 a crash (its input is saved in FINDINGS), 2 usage.
/// </summary>
internal static class FuzzCommand
{
    public static int Run(string[] args)
    {
        try
        {
            return args switch
            {
                ["list"] => List(),
                ["instrument"] => Instrumentation.Run(AppContext.BaseDirectory),
                ["run", var name, var seconds, var corpus, .. var rest] when rest.Length <= 1 && double.TryParse(seconds, CultureInfo.InvariantCulture, out var s) =>
                    WithTarget(name, t => RunBounded(t, TimeSpan.FromSeconds(s), corpus, rest.Length == 1 ? rest[0] : null)),
                ["afl", var name] => WithTarget(name, t => { SharpFuzz.Fuzzer.Run(stream => t.Run(ReadAll(stream))); return 0; }),
                ["replay", var name, .. var files] when files.Length > 0 => WithTarget(name, t => Replay(t, files)),
                _ => Usage(),
            };
        }
        finally
        {
            Targets.AgentConfigurationTarget.Cleanup();
        }
    }

    private static int List()
    {
        foreach (var target in FuzzTargets.All)
            Console.WriteLine(target.Name);
        return 0;
    }

    private static int WithTarget(string name, Func<FuzzTarget, int> action)
    {
        if (FuzzTargets.Find(name) is { } target)
            return action(target);
        Console.Error.WriteLine($"DeviceAgent.Fuzz: error: no target '{name}'; targets: {string.Join(", ", FuzzTargets.All.Select(t => t.Name))}");
        return 2;
    }

    private static int RunBounded(FuzzTarget target, TimeSpan duration, string corpus, string? findings)
    {
        if (!Directory.Exists(corpus))
        {
            Console.Error.WriteLine($"DeviceAgent.Fuzz: error: seed corpus {corpus} does not exist");
            return 2;
        }
        if (!Instrumented())
        {
            Console.Error.WriteLine("DeviceAgent.Fuzz: error: the product assemblies are not instrumented; run 'DeviceAgent.Fuzz instrument' (the build does)");
            return 2;
        }
        var seeds = Directory.EnumerateFiles(corpus).Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();
        var driver = new MutationDriver(target, seed: Environment.TickCount);
        var crash = driver.Run(seeds, duration);
        var summary = $"fuzz {target.Name}: {driver.Executions} inputs in {duration.TotalSeconds:0} s, {seeds.Count} seeds, corpus {driver.CorpusSize}, {driver.Edges} edges";
        if (crash is not { } found)
        {
            Console.WriteLine($"{summary}, no crash");
            return 0;
        }
        var saved = "";
        if (findings is not null)
        {
            Directory.CreateDirectory(findings);
            saved = Path.Combine(findings, $"crash-{target.Name}-{MutationDriver.NameOf(found.Input)}");
            File.WriteAllBytes(saved, found.Input);
        }
        Console.WriteLine($"{summary}: CRASH{(saved.Length > 0 ? $", input saved as {saved}" : "")}");
        Console.WriteLine($"input (base64): {Convert.ToBase64String(found.Input)}");
        Console.WriteLine(found.Error);
        return 1;
    }

    private static int Replay(FuzzTarget target, string[] files)
    {
        var crashed = 0;
        foreach (var file in files)
        {
            try
            {
                target.Run(File.ReadAllBytes(file));
                Console.WriteLine($"{file}: ok");
            }
#pragma warning disable CA1031 // reporting what the target threw is the point
            catch (Exception e)
#pragma warning restore CA1031
            {
                crashed++;
                Console.WriteLine($"{file}: CRASH\n{e}");
            }
        }
        return crashed == 0 ? 0 : 1;
    }

    private static bool Instrumented() => typeof(DeviceAgent.Pki.Chains.ChainBundle).Assembly.GetReferencedAssemblies().Any(a => a.Name == "SharpFuzz.Common");

    private static byte[] ReadAll(Stream stream)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: DeviceAgent.Fuzz list | instrument | run TARGET SECONDS CORPUS [FINDINGS] | afl TARGET | replay TARGET FILE...");
        return 2;
    }
}
