using System.Text.Json.Serialization;
using DeviceAgent.Doctor;

namespace DeviceAgent.Configuration;

/// <summary>Source-generated JSON for the agent's configuration and reports.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    WriteIndented = true,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AgentConfiguration))]
[JsonSerializable(typeof(DoctorReport))]
[JsonSerializable(typeof(State.AgentState))]
[JsonSerializable(typeof(Cli.ProvisionOutcome))]
internal sealed partial class AgentJsonContext : JsonSerializerContext;
