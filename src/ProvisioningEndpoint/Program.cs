// Composition root of `provisioning-endpoint`; wiring only.
return await ProvisioningEndpoint.Cli.EndpointCommandLine.RunAsync(args).ConfigureAwait(false);
