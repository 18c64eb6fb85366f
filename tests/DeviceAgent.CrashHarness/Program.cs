using DeviceAgent.CrashHarness;
using DeviceAgent.State;

// Usage: DeviceAgent.CrashHarness STATE-DIRECTORY
//   Writes states 1, 2, 3, ... through the agent's StateStore as fast as it can, printing each
//   sequence number after its Save returned (so the parent knows which writes completed).
// Usage: DeviceAgent.CrashHarness renew CONFIG STEP
//   One renewal (RenewalCrash); stops dead after STEP so that the parent kills it there.
// Usage: DeviceAgent.CrashHarness daemon CONFIG STEP
//   The daemon, its clock set so that it renews at once (DaemonRenewalCrash); stops dead after STEP.
if (args is ["renew", var config, var step])
    return await RenewalCrash.RunAsync(config, step);
if (args is ["daemon", var daemonConfig, var daemonStep])
    return await DaemonRenewalCrash.RunAsync(daemonConfig, daemonStep);

var store = new StateStore(args[0]);
for (long sequence = 1; ; sequence++)
{
    store.Save(new AgentState
    {
        IdScope = "0ne00000001",
        RegistrationId = "device-1",
        AssignedHub = $"hub-{sequence}.example",
        DeviceId = $"device-{sequence}",
        RegisteredUtc = DateTimeOffset.UtcNow,
        CertificateThumbprint = new string('A', 40),
        ReturnedPayload = new string('x', (int)(sequence % 4096)), // sizes vary: a torn write would show
    });
    Console.WriteLine(sequence);
}
