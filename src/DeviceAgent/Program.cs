// Composition root of the `deviceagent` daemon and CLI; wiring only.
return await DeviceAgent.Cli.AgentCommandLine.RunAsync(args).ConfigureAwait(false);
