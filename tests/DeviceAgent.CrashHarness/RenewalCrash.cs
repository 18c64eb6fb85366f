using DeviceAgent.Configuration;
using DeviceAgent.Identity;
using DeviceAgent.Pki.Tls;
using DeviceAgent.Renewal;
using DeviceAgent.State;
using Microsoft.Extensions.Logging.Abstractions;

namespace DeviceAgent.CrashHarness;

/// <summary>
/// A renewal through the agent's own code (<see cref="RenewalDriver.RenewNowAsync"/>, as
/// <c>deviceagent renew --now</c> runs it) that prints <c>step:NAME</c> after each
/// <see cref="RenewalStep"/> and, after the chosen one, blocks forever: the parent sends SIGKILL
/// exactly there. Exit 0 when the renewal finished without reaching the step, 1 when it failed.
/// </summary>
internal static class RenewalCrash
{
    public static async Task<int> RunAsync(string configPath, string killAt)
    {
        var stopAt = Enum.Parse<RenewalStep>(killAt);
        var configuration = AgentConfiguration.Load(configPath);
        var store = new StateStore(configuration.StateDirectory);
        var renewal = new CertificateRenewal(configuration, store, TimeProvider.System);
        renewal.StepReached += step =>
        {
            Console.Out.WriteLine($"step:{step}");
            Console.Out.Flush();
            if (step == stopAt)
                Thread.Sleep(Timeout.Infinite);
        };
        var driver = new RenewalDriver(configuration, renewal, store, TimeProvider.System, NullLogger.Instance);
        using var identity = CurrentCredential.Open(configuration);
        var trust = TlsServerTrust.FromPemFile(configuration.Hub.Trust!);
        try
        {
            var (renewed, _) = await driver.RenewNowAsync(identity, trust, TimeSpan.FromSeconds(configuration.Hub.KeepAliveSeconds), CancellationToken.None);
            renewed.Dispose();
            Console.Out.WriteLine("renewed");
            return 0;
        }
        catch (RenewalException e)
        {
            Console.Error.WriteLine($"renewal failed: {e.Message}");
            return 1;
        }
    }
}
