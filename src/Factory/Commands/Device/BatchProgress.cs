using Spectre.Console;

namespace Factory.Commands.Device;

/// <summary>
/// The progress of a batch on stderr: a live progress bar when stderr is a terminal, otherwise a
/// line every tenth of the run (logs stay readable); nothing in JSON mode.
/// </summary>
internal static class BatchProgress
{
    public static void Run(int total, bool quiet, Action<Action<string>> work)
    {
        if (quiet)
        {
            work(_ => { });
            return;
        }
        if (!Console.IsErrorRedirected)
        {
            Output.Terminals.Stderr().Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(context =>
                {
                    var task = context.AddTask("issuing", maxValue: total);
                    work(id =>
                    {
                        task.Description = Markup.Escape(id);
                        task.Increment(1);
                    });
                    task.Description = "done";
                });
            return;
        }
        var done = 0;
        var step = Math.Max(1, total / 10);
        work(id =>
        {
            done++;
            if (done % step == 0 || done == total)
                Console.Error.WriteLine(FormattableString.Invariant($"bringup: {done}/{total} devices ({id})"));
        });
    }
}
