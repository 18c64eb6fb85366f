using System.Diagnostics;
using System.Security.Cryptography;

namespace DeviceAgent.Fuzz;

/// <summary>
/// SharpFuzz's in-process mode with a mutation loop of our own, for bounded runs inside the test
/// suite: the target assemblies are instrumented by SharpFuzz (<see cref="Instrumentation"/>), every
/// input runs with SharpFuzz's edge map cleared, and an input that reaches an edge (or an AFL hit
/// count bucket) not seen before joins the corpus. Mutations are AFL's basic ones: bit flips,
/// interesting bytes, arithmetic, block insert/delete/duplicate, splicing, and tokens taken from
/// the seeds. Not thread-safe: one target per process.
/// </summary>
internal sealed unsafe class MutationDriver
{
    private const int MapSize = 1 << 16;
    private const int MaxInput = 16 * 1024;
    private static readonly byte[] s_interesting = [0, 1, 0x7f, 0x80, 0xff, (byte)'"', (byte)'\\', (byte)'%', (byte)'-', (byte)'\n', (byte)'{', (byte)'}', (byte)'[', (byte)'=', (byte)';', (byte)'?'];

    private readonly FuzzTarget _target;
    private readonly Random _random;
    private readonly List<byte[]> _corpus = [];
    private readonly List<byte[]> _tokens = [];
    private readonly byte[] _seen = new byte[MapSize];
    private readonly byte* _map = (byte*)System.Runtime.InteropServices.NativeMemory.AllocZeroed(MapSize);

    public MutationDriver(FuzzTarget target, int seed)
    {
        _target = target;
        _random = new Random(seed);
        SharpFuzz.Common.Trace.SharedMem = _map;
    }

    public long Executions { get; private set; }

    public int CorpusSize => _corpus.Count;

    public int Edges => _seen.Count(b => b != 0);

    /// <summary>Runs the seeds, then mutates until <paramref name="duration"/> is over or an input crashes.</summary>
    /// <returns>The crashing input and what it threw, or null.</returns>
    public (byte[] Input, Exception Error)? Run(IEnumerable<byte[]> seeds, TimeSpan duration)
    {
        foreach (var seed in seeds.Append([]))
        {
            if (Execute(seed) is { } error)
                return (seed, error);
            _corpus.Add(seed);
            CollectTokens(seed);
        }
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < duration)
        {
            var input = Mutate(_corpus[_random.Next(_corpus.Count)]);
            if (Execute(input) is { } error)
                return (input, error);
        }
        return null;
    }

    /// <summary>Runs one input; returns the contract-breaking exception, or null. Adds it to the corpus when it found new coverage.</summary>
    private Exception? Execute(byte[] input)
    {
        new Span<byte>(_map, MapSize).Clear();
        SharpFuzz.Common.Trace.PrevLocation = 0;
        Executions++;
        try
        {
            _target.Run(input);
        }
#pragma warning disable CA1031 // a fuzzer's job is to catch what the target did not
        catch (Exception e)
#pragma warning restore CA1031
        {
            return e;
        }
        var fresh = false;
        for (var i = 0; i < MapSize; i++)
        {
            var hits = _map[i];
            if (hits == 0)
                continue;
            var bucket = Bucket(hits);
            if ((_seen[i] & bucket) == 0)
            {
                _seen[i] |= bucket;
                fresh = true;
            }
        }
        if (fresh && Executions > 1)
            _corpus.Add(input);
        return null;
    }

    // AFL's hit count classes: 1, 2, 3, 4-7, 8-15, 16-31, 32-127, 128+.
    private static byte Bucket(byte hits) => hits switch
    {
        1 => 1, 2 => 2, 3 => 4, <= 7 => 8, <= 15 => 16, <= 31 => 32, <= 127 => 64, _ => 128,
    };

    private byte[] Mutate(byte[] parent)
    {
        var data = new List<byte>(parent);
        var rounds = 1 << _random.Next(4);
        for (var r = 0; r < rounds; r++)
        {
            switch (_random.Next(data.Count == 0 ? 2 : 9))
            {
                case 0: // insert a token from the seeds
                    if (_tokens.Count > 0)
                        data.InsertRange(_random.Next(data.Count + 1), _tokens[_random.Next(_tokens.Count)]);
                    break;
                case 1: // insert interesting bytes
                    data.InsertRange(_random.Next(data.Count + 1), Enumerable.Repeat(s_interesting[_random.Next(s_interesting.Length)], 1 + _random.Next(4)));
                    break;
                case 2: // flip a bit
                    data[_random.Next(data.Count)] ^= (byte)(1 << _random.Next(8));
                    break;
                case 3: // an interesting byte
                    data[_random.Next(data.Count)] = s_interesting[_random.Next(s_interesting.Length)];
                    break;
                case 4: // arithmetic
                    var at = _random.Next(data.Count);
                    data[at] = (byte)(data[at] + _random.Next(-35, 36));
                    break;
                case 5: // delete a block
                    var from = _random.Next(data.Count);
                    data.RemoveRange(from, Math.Min(data.Count - from, 1 + _random.Next(32)));
                    break;
                case 6: // duplicate a block
                    var start = _random.Next(data.Count);
                    var block = data.GetRange(start, Math.Min(data.Count - start, 1 + _random.Next(64)));
                    data.InsertRange(_random.Next(data.Count + 1), block);
                    break;
                case 7: // splice with another corpus entry
                    var other = _corpus[_random.Next(_corpus.Count)];
                    if (other.Length > 0)
                    {
                        var cut = _random.Next(data.Count);
                        data.RemoveRange(cut, data.Count - cut);
                        data.AddRange(other.AsSpan(_random.Next(other.Length)).ToArray());
                    }
                    break;
                default: // a random byte
                    data[_random.Next(data.Count)] = (byte)_random.Next(256);
                    break;
            }
        }
        return data.Count > MaxInput ? [.. data.GetRange(0, MaxInput)] : [.. data];
    }

    // Tokens for insertion: the seeds' runs of letters, digits and punctuation that make up keywords.
    private void CollectTokens(byte[] seed)
    {
        var start = -1;
        for (var i = 0; i <= seed.Length; i++)
        {
            var word = i < seed.Length && (char.IsAsciiLetterOrDigit((char)seed[i]) || seed[i] is (byte)'-' or (byte)'_' or (byte)':' or (byte)'$');
            if (word && start < 0)
                start = i;
            else if (!word && start >= 0)
            {
                if (i - start is >= 2 and <= 40 && _tokens.Count < 512)
                    _tokens.Add(seed[start..i]);
                start = -1;
            }
        }
    }

    /// <summary>A stable file name for an input (a prefix of its SHA-256).</summary>
    public static string NameOf(byte[] input) => Convert.ToHexStringLower(SHA256.HashData(input))[..16];
}
