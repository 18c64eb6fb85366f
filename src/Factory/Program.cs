// Composition root of the `bringup` factory CLI; wiring only.
return await Factory.Cli.BringupCommandLine.RunAsync(args).ConfigureAwait(false);
