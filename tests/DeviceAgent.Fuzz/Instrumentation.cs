using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace DeviceAgent.Fuzz;

/// <summary>
/// Instruments the product assemblies beside this program with SharpFuzz (edge coverage into
/// <c>SharpFuzz.Common.Trace.SharedMem</c>, AFL's map), once: the build runs it after every build,
/// and an assembly already instrumented (it references SharpFuzz.Common) is left as it is.
/// </summary>
internal static class Instrumentation
{
    // Where the parsers under fuzzing live. Not System.*: the runtime's own parsers are out of scope.
    private static readonly string[] s_assemblies =
        ["DeviceAgent.Keys.dll", "DeviceAgent.Pki.dll", "DeviceAgent.Provisioning.dll", "deviceagent.dll", "provisioning-endpoint.dll"];

    public static int Run(string directory)
    {
        foreach (var name in s_assemblies)
        {
            var path = Path.Combine(directory, name);
            if (!File.Exists(path))
            {
                Console.Error.WriteLine($"DeviceAgent.Fuzz: error: {path} is missing; build tests/DeviceAgent.Fuzz");
                return 2;
            }
            if (IsInstrumented(path))
                continue;
            SharpFuzz.Fuzzer.Instrument(path, _ => true, SharpFuzz.Options.Value);
            Console.WriteLine($"instrumented {name}");
        }
        return 0;
    }

    private static bool IsInstrumented(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        return metadata.AssemblyReferences.Any(r => metadata.StringComparer.Equals(metadata.GetAssemblyReference(r).Name, "SharpFuzz.Common"));
    }
}
