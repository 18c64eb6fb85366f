using System.Globalization;
using DeviceAgent.Pki.DeviceIdentities;
using Factory.Cli;
using Factory.Output;
using Spectre.Console;

namespace Factory.Commands.Device;

/// <summary>What a batch did, device by device, and its summary (a table in text, one document in JSON).</summary>
internal sealed class BatchRun(string issuer)
{
    private const int ListedDevices = 50;

    public List<DeviceIdentity> Devices { get; } = [];

    public List<BatchFailure> Failures { get; } = [];

    public bool Interrupted { get; set; }

    public void Add(DeviceIdentity identity) => Devices.Add(identity);

    public void Report(Reporter reporter, int total, TimeSpan elapsed)
    {
        var issued = Devices.Count(d => d.Outcome == DeviceIdentityOutcome.Issued);
        var reissued = Devices.Count(d => d.Outcome == DeviceIdentityOutcome.Reissued);
        var done = Devices.Count(d => d.Outcome == DeviceIdentityOutcome.AlreadyDone);
        var average = Average();
        reporter.Result(new BatchResult(Failures.Count == 0 && !Interrupted, issuer, total, issued, reissued, done, Failures.Count, Interrupted,
            TextFormat.Timings(average), [.. Devices.Select(d => DeviceReport.Result(d, issuer))], Failures), FactoryJson.Default.BatchResult);
        foreach (var failure in Failures)
            Console.Error.WriteLine($"{Reporter.Prefix}: error: {failure.RegistrationId}: {failure.Message}");
        if (Interrupted)
            Console.Error.WriteLine($"{Reporter.Prefix}: error: interrupted after {Devices.Count + Failures.Count} of {total} devices\nhint: run the same command again to resume");
        if (reporter.Json)
            return;

        var console = Terminals.Stdout();
        console.WriteLine($"batch from CA '{issuer}':");
        var table = new Table()
            .AddColumn(new TableColumn("registration id").NoWrap()).AddColumn(new TableColumn("outcome").NoWrap())
            .AddColumn(new TableColumn("SHA-1 thumbprint").NoWrap()).AddColumn(new TableColumn("ms").RightAligned());
        foreach (var device in Devices.Take(ListedDevices))
        {
            table.AddRow(Markup.Escape(device.RegistrationId.Value), TextFormat.Outcome(device.Outcome), device.Leaf.Thumbprint,
                device.Timings.Total.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture));
        }
        foreach (var failure in Failures.Take(ListedDevices))
            table.AddRow(Markup.Escape(failure.RegistrationId), "FAILED", Markup.Escape(failure.Kind), "");
        if (Devices.Count + Failures.Count > ListedDevices)
            table.Caption($"first {ListedDevices} of {Devices.Count + Failures.Count} shown; --json lists all");
        console.Write(table);
        console.WriteLine(FormattableString.Invariant(
            $"{total} devices: {issued} issued, {reissued} reissued, {done} already done, {Failures.Count} failed{(Interrupted ? ", interrupted" : "")} in {elapsed.TotalSeconds:0.0} s"));
        if (issued + reissued > 0)
        {
            console.WriteLine($"average per issued device: key {TextFormat.Milliseconds(average.KeyGeneration)}, request {TextFormat.Milliseconds(average.RequestSigning)}, " +
                $"issuance {TextFormat.Milliseconds(average.Issuance)}, writing {TextFormat.Milliseconds(average.Writing)}");
        }
    }

    private DeviceIssuanceTimings Average()
    {
        var worked = Devices.Where(d => d.Outcome != DeviceIdentityOutcome.AlreadyDone).Select(d => d.Timings).ToList();
        if (worked.Count == 0)
            return DeviceIssuanceTimings.None;
        TimeSpan Mean(Func<DeviceIssuanceTimings, TimeSpan> part) => TimeSpan.FromTicks((long)worked.Average(t => part(t).Ticks));
        return new DeviceIssuanceTimings(Mean(t => t.KeyGeneration), Mean(t => t.RequestSigning), Mean(t => t.Issuance), Mean(t => t.Writing));
    }
}
