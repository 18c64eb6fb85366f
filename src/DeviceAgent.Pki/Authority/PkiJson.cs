using System.Text.Json.Serialization;

namespace DeviceAgent.Pki.Authority;

/// <summary>The JSON the CA store writes (ca.json, issued.jsonl): camelCase, nulls omitted, source-generated.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = false)]
[JsonSerializable(typeof(CaDescriptor))]
[JsonSerializable(typeof(IssuanceRecord))]
internal sealed partial class PkiJson : JsonSerializerContext;
