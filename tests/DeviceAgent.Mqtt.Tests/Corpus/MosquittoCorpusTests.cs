using DeviceAgent.Mqtt.Tests.Support;

namespace DeviceAgent.Mqtt.Tests.Corpus;

/// <summary>
/// mosquitto's broker conformance cases (tests/corpora/mosquitto-broker-packets, the MQTT 3.1.1
/// groups) replayed byte for byte against <see cref="DeviceAgent.Mqtt.Server.MqttServerConnection"/> behind a
/// minimal host: the bytes expected back, and the disconnect (or not) at the end.
/// </summary>
public sealed class MosquittoCorpusTests
{
    /// <summary>
    /// Where we deliberately differ from mosquitto, and why. Kept short; each entry must name a
    /// case of the corpus (checked below) and the test asserts our behaviour for it instead.
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, string> DeliberateDifferences = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["CONNACK.json/issue 2163 v3"] = "MQTT 3.1 (\"MQIsdp\", level 3) is not served: the CONNECT is refused with CONNACK 0x01 instead of accepted, then the connection closes (the case expects a disconnect after its CONNACK anyway).",
    };

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    public static TheoryData<string> Cases() => new(Load().Select(c => c.Key));

    private static IEnumerable<MosquittoCorpusCase> Load() => MosquittoCorpusCase.Load(RepositoryPaths.Corpus("mosquitto-broker-packets"));

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Server_connection_behaves_as_the_mosquitto_case_expects(string key)
    {
        var @case = Load().Single(c => c.Key == key);
        var (client, server) = DuplexStream.CreatePair();
        var host = new CorpusHost();
        var hosting = host.RunAsync(server);
        await using (client)
        {
            if (DeliberateDifferences.ContainsKey(key))
            {
                await SendAsync(client, "10 10 0006 4D5149736470 03 02 003C 0002 6964");
                await ExpectAsync(client, "20 02 00 01");
                await ExpectClosedAsync(client, key);
                await hosting.WaitAsync(Patience);
                return;
            }
            if (@case.Connect)
            {
                await SendAsync(client, "10 0E 0004 4D515454 04 02 003C 0002 6964");
                await ExpectAsync(client, "20 02 00 00");
            }
            foreach (var step in @case.Steps)
            {
                switch (step.Type)
                {
                    case "send":
                        await SendAsync(client, step.Payload);
                        break;
                    case "recv":
                        await ExpectAsync(client, step.Payload);
                        break;
                    case "publish":
                        await host.PublishAsync(step.Topic!, step.Payload, step.Qos);
                        break;
                    default:
                        Assert.Fail($"{key}: unknown step type {step.Type}");
                        break;
                }
            }
            if (@case.ExpectDisconnect)
            {
                await ExpectClosedAsync(client, key);
                await hosting.WaitAsync(Patience);
                AssertClosedForTheRightReason(@case, host.Error);
            }
            else
            {
                await SendAsync(client, "C0 00");
                await ExpectAsync(client, "D0 00");
            }
        }
        await hosting.WaitAsync(Patience);
    }

    /// <summary>
    /// Every expected disconnect must be our protocol violation (or the client's DISCONNECT), and
    /// a case named after a rule ("10 [MQTT-3.1.2-22]") must end with our violation of that rule. Where mosquitto's name cites a neighbouring or more general rule than the one we
    /// report, the pair is listed here.
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, string> RuleAliases = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["MQTT-3-8.3-4"] = "MQTT-3.8.3-4", // the specification's own typo, kept in the case names
        ["MQTT-3.1.2-11"] = "MQTT-3.1.2-13|MQTT-3.1.2-15", // will QoS / will retain without the will flag: the specific rules
        ["MQTT-3.8.3-3"] = "MQTT-2.2.3", // "82 05 1234 0001 70": the filter's QoS byte is missing, i.e. truncated
        ["MQTT-3.1.3-7"] = "MQTT-3.1.3-8", // the client's rule for an empty id without clean session; -8 is the server's
        ["MQTT-3.1.0-1"] = "MQTT-3.1.0-1|MQTT-2.2.1", // a reserved packet type (AUTH, 0xF0) is refused before the connection state is considered
    };

    private static void AssertClosedForTheRightReason(MosquittoCorpusCase @case, Exception? error)
    {
        // Every disconnect is our protocol violation, except the one the client asked for.
        if (error is null)
        {
            Assert.True(@case.Steps[^1] is { Type: "send", Payload: "E0 00" }, $"{@case.Key}: closed without a protocol violation");
            return;
        }
        Assert.True(error is MqttProtocolException, $"{@case.Key}: closed by {error.GetType().Name}: {error.Message}");
        var match = System.Text.RegularExpressions.Regex.Match(@case.Name, @"\[(MQTT-[^\]]+)\]");
        if (!match.Success)
            return;
        var named = match.Groups[1].Value;
        var accepted = (RuleAliases.TryGetValue(named, out var alias) ? alias : named).Split('|');
        var violation = Assert.IsType<MqttProtocolException>(error);
        Assert.True(accepted.Contains(violation.Rule), $"{@case.Key}: expected [{string.Join(" or ", accepted)}], got: {violation.Message}");
    }

    [Fact]
    public void Every_deliberate_difference_names_a_corpus_case()
    {
        var keys = Load().Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        Assert.All(DeliberateDifferences.Keys, key => Assert.Contains(key, keys));
        Assert.True(keys.Count > 200, $"only {keys.Count} cases loaded");
    }

    private static async Task SendAsync(Stream client, string hex)
    {
        try
        {
            await client.WriteAsync(Hex.Parse(hex));
        }
        catch (IOException)
        {
            // The server closed already: the end of the case says whether that was right.
        }
    }

    private static async Task ExpectAsync(Stream client, string hex)
    {
        var expected = Hex.Parse(hex);
        var actual = new byte[expected.Length];
        var read = 0;
        using var timeout = new CancellationTokenSource(Patience);
        while (read < actual.Length)
        {
            var n = await client.ReadAsync(actual.AsMemory(read), timeout.Token);
            Assert.True(n > 0, $"expected {Hex.Format(expected)}, the server closed after {Hex.Format(actual.AsSpan(0, read))}");
            read += n;
        }
        Assert.Equal(Hex.Format(expected), Hex.Format(actual));
    }

    private static async Task ExpectClosedAsync(Stream client, string key)
    {
        var buffer = new byte[256];
        using var timeout = new CancellationTokenSource(Patience);
        var n = await client.ReadAsync(buffer, timeout.Token);
        Assert.True(n == 0, $"{key}: expected the server to close the connection, it sent {Hex.Format(buffer.AsSpan(0, n))}");
    }
}
