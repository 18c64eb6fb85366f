using System.Text.Json.Serialization;

namespace Factory.Output;

/// <summary>Source-generated JSON for bringup's --json output.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(ErrorResult))]
[JsonSerializable(typeof(CaResult))]
[JsonSerializable(typeof(ProveResult))]
[JsonSerializable(typeof(Commands.Ca.SignRequestResult))]
[JsonSerializable(typeof(DeviceResult))]
[JsonSerializable(typeof(BatchResult))]
[JsonSerializable(typeof(InspectResult))]
internal sealed partial class FactoryJson : JsonSerializerContext;
