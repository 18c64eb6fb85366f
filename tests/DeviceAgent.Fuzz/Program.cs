// Composition root of the fuzz targets; see FuzzCommand for the command line.
return DeviceAgent.Fuzz.FuzzCommand.Run(args);
