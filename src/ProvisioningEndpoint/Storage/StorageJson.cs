using System.Text.Json;
using System.Text.Json.Serialization;
using ProvisioningEndpoint.Model;

namespace ProvisioningEndpoint.Storage;

/// <summary>How composite columns (allocation settings) are stored: JSON text.</summary>
internal static class StorageJson
{
    public static string Serialize(AllocationSettings allocation) =>
        JsonSerializer.Serialize(allocation, StorageJsonContext.Default.AllocationSettings);

    public static AllocationSettings DeserializeAllocation(string json) =>
        JsonSerializer.Deserialize(json, StorageJsonContext.Default.AllocationSettings) ?? AllocationSettings.Default;
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(AllocationSettings))]
internal sealed partial class StorageJsonContext : JsonSerializerContext;
