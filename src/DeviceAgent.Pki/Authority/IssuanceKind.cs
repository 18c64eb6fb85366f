using System.Text.Json.Serialization;

namespace DeviceAgent.Pki.Authority;

/// <summary>What a CA signed.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<IssuanceKind>))]
public enum IssuanceKind
{
    /// <summary>A CA certificate: a root's own, or an intermediate's.</summary>
    [JsonStringEnumMemberName("ca")]
    Ca,
    /// <summary>A device (end-entity) certificate.</summary>
    [JsonStringEnumMemberName("device")]
    Device,
    /// <summary>A proof-of-possession verification certificate.</summary>
    [JsonStringEnumMemberName("verification")]
    Verification,
}
