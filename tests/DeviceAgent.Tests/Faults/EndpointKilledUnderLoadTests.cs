using DeviceAgent.Tests.Support;
using Microsoft.Data.Sqlite;

namespace DeviceAgent.Tests.Faults;

/// <summary>
/// The endpoint process killed with SIGKILL while devices register at full speed (a power cut, the
/// OOM killer): after a start on the same data directory every registration it had acknowledged
/// ("assigned") is there with its hub device, the database passes its integrity check, and it serves.
/// </summary>
public sealed class EndpointKilledUnderLoadTests
{
    private const int Concurrency = 6;

    [Fact]
    public async Task SIGKILL_under_registration_load_loses_no_acknowledged_registration()
    {
        await using var endpoint = await EndpointProcess.StartAsync();
        using var fleet = await SoftwareFleet.EnrollAsync(endpoint);
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, Concurrency).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
                await fleet.RegisterOneAsync(endpoint, cancellationToken: stop.Token);
        })).ToArray();

        // Killed mid-stream: once enough were acknowledged that more are surely in flight.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (fleet.Acknowledged.Count < 20)
        {
            Assert.True(DateTime.UtcNow < deadline, $"only {fleet.Acknowledged.Count} registrations in 60 s\n{string.Join("\n", fleet.Failures.Take(5))}\n{endpoint.Output}");
            await Task.Delay(50);
        }
        await endpoint.KillAsync();
        await stop.CancelAsync();
        await Task.WhenAll(load);
        var acknowledged = fleet.Acknowledged.Count;

        SqliteConnection.ClearAllPools();
        Assert.Equal("ok", FullDiskTests.IntegrityCheck(Path.Combine(endpoint.DataDirectory, "endpoint.db")));
        await endpoint.StartAgainAsync();
        await fleet.AssertNoneLostAsync(endpoint.Store);
        Assert.True(await fleet.RegisterOneAsync(endpoint), string.Join("\n", fleet.Failures.TakeLast(3)));
        Console.WriteLine($"SIGKILL under load: {acknowledged} acknowledged before the kill, {fleet.Failures.Count} cut off, none lost");
    }
}
