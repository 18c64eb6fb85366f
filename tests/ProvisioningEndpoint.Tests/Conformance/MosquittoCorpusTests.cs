using ProvisioningEndpoint.Tests.Support;

namespace ProvisioningEndpoint.Tests.Conformance;

/// <summary>
/// mosquitto's broker conformance cases (tests/corpora/mosquitto-broker-packets, the MQTT 3.1.1
/// groups) replayed byte for byte over mutual TLS against the endpoint's device-listener stack
/// (<see cref="CorpusEndpoint"/>: connection limit, TLS, frame guard, MQTTnet): the bytes
/// expected back, and the disconnect (or not) at the end. Where MQTTnet answers differently from
/// mosquitto in a way MQTT 3.1.1 allows, tests/corpora/mqttnet-differences.tsv says so (case,
/// what the endpoint does, why that is allowed) and the test asserts the documented behaviour.
/// </summary>
public sealed class MosquittoCorpusTests(CorpusEndpoint endpoint) : IClassFixture<CorpusEndpoint>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private const string ClientConnect = "10 0E 0004 4D515454 04 02 003C 0002 6964";

    public static TheoryData<string> Cases() => new(Load().Select(c => c.Key));

    private static IEnumerable<MosquittoCorpusCase> Load() => MosquittoCorpusCase.Load(CorpusDifferences.Corpus("mosquitto-broker-packets"));

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_endpoint_behaves_as_the_mosquitto_case_expects(string key)
    {
        var @case = Load().Single(c => c.Key == key);
        await using var client = await endpoint.ConnectAsync();
        if (CorpusDifferences.Load().TryGetValue(key, out var difference))
        {
            // The case's own exchange is not read here: what the endpoint sends is searched for.
            await ReplayLooselyAsync(client, @case);
            if (difference.Answer is { } answer)
                Assert.True(await ReadUntilAsync(client, answer), $"{key}: the endpoint did not send {answer}");
            if (difference.Closes)
            {
                Assert.False(await ReadUntilAsync(client, null), $"{key}: expected the endpoint to close the connection");
            }
            else
            {
                await SendAsync(client, "C0 00");
                Assert.True(await ReadUntilAsync(client, "D000"), $"{key}: expected the connection open, answering PINGREQ");
            }
            return;
        }
        if (@case.Connect)
        {
            await SendAsync(client, ClientConnect);
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
                    await endpoint.PublishAsync(step.Topic!, step.Payload, step.Qos);
                    break;
                default:
                    Assert.Fail($"{key}: unknown step type {step.Type}");
                    break;
            }
        }
        if (@case.ExpectDisconnect)
            await ExpectClosedAsync(client, key);
        else
            await ExpectOpenAsync(client);
    }

    [Fact]
    public void Every_documented_difference_names_a_corpus_case_and_says_why()
    {
        var keys = Load().Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        Assert.True(keys.Count > 200, $"only {keys.Count} cases loaded");
        Assert.All(CorpusDifferences.Load(), d =>
        {
            Assert.Contains(d.Key, keys);
            Assert.True(d.Value.Description.Length > 20, $"{d.Key}: say why MQTT 3.1.1 allows it");
        });
    }

    // The case's own steps without its expectations: what it sends, and its publishes.
    private async Task ReplayLooselyAsync(Stream client, MosquittoCorpusCase @case)
    {
        if (@case.Connect)
        {
            await SendAsync(client, ClientConnect);
            await ExpectAsync(client, "20 02 00 00");
        }
        foreach (var step in @case.Steps)
        {
            if (step.Type == "send")
                await SendAsync(client, step.Payload);
            else if (step.Type == "publish")
                await endpoint.PublishAsync(step.Topic!, step.Payload, step.Qos);
        }
    }

    private static async Task SendAsync(Stream client, string hex)
    {
        try
        {
            await client.WriteAsync(Hex.Parse(hex));
            await client.FlushAsync();
        }
        catch (IOException)
        {
            // The endpoint closed already: the end of the case says whether that was right.
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
            int n;
            try
            {
                n = await client.ReadAsync(actual.AsMemory(read), timeout.Token);
            }
            catch (IOException)
            {
                n = 0;
            }
            Assert.True(n > 0, $"expected {Hex.Format(expected)}, the endpoint closed after {Hex.Format(actual.AsSpan(0, read))}");
            read += n;
        }
        Assert.Equal(Hex.Format(expected), Hex.Format(actual));
    }

    private static async Task ExpectClosedAsync(Stream client, string key)
    {
        var buffer = new byte[256];
        using var timeout = new CancellationTokenSource(Patience);
        int n;
        try
        {
            n = await client.ReadAsync(buffer, timeout.Token);
        }
        catch (IOException)
        {
            n = 0;
        }
        Assert.True(n == 0, $"{key}: expected the endpoint to close the connection, it sent {Hex.Format(buffer.AsSpan(0, n))}");
    }

    // Reads until the bytes read so far end with hex (true), or the endpoint closes (false); null hex: until it closes.
    private static async Task<bool> ReadUntilAsync(Stream client, string? hex)
    {
        var wanted = hex is null ? null : Hex.Parse(hex);
        var seen = new List<byte>();
        var buffer = new byte[256];
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            int n;
            try
            {
                n = await client.ReadAsync(buffer, timeout.Token);
            }
            catch (IOException)
            {
                n = 0;
            }
            if (n == 0)
                return false;
            seen.AddRange(buffer.AsSpan(0, n));
            if (wanted is not null && seen.Count >= wanted.Length && seen.Skip(seen.Count - wanted.Length).SequenceEqual(wanted))
                return true;
        }
    }

    // Open, and answering: PINGREQ gets PINGRESP.
    private static async Task ExpectOpenAsync(Stream client)
    {
        await SendAsync(client, "C0 00");
        await ExpectAsync(client, "D0 00");
    }
}
