namespace DeviceAgent.Mqtt.Tests.Support;

internal static class Eventually
{
    /// <summary>Waits (polling, up to 10 s) for a condition another thread makes true; a hang guard, not a timing assertion.</summary>
    public static async Task TrueAsync(Func<bool> condition, string what)
    {
        for (var waited = 0; waited < 10_000; waited += 5)
        {
            if (condition())
                return;
            await Task.Delay(5);
        }
        Assert.Fail("timed out waiting for: " + what);
    }
}
