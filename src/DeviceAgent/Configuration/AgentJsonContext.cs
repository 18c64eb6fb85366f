using System.Text.Encodings.Web;
using System.Text.Json;
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
[JsonSerializable(typeof(Cli.RenewOutcome))]
[JsonSerializable(typeof(Renewal.RenewalStatusReport))]
internal sealed partial class AgentJsonContext : JsonSerializerContext;

/// <summary>The agent's JSON as the commands print it.</summary>
internal sealed partial class AgentJsonContext
{
    private static AgentJsonContext? s_output;

    /// <summary>
    /// For what the commands print (--json): apostrophes, '+' and non-ASCII text stay readable
    /// instead of \u escapes. Safe: the output goes to terminals and scripts, never into HTML.
    /// </summary>
    // Lazy: a static initializer here would run before the generated Default exists.
    public static AgentJsonContext Output => s_output ??= CreateOutput();

    private static AgentJsonContext CreateOutput()
    {
        var options = new JsonSerializerOptions(Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        options.TypeInfoResolver = null;
        return new AgentJsonContext(options);
    }
}
