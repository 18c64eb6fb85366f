extern alias device;

using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using DeviceAgent.Provisioning.Wire;
using DeviceWire = device::DeviceAgent.Provisioning.Wire;

namespace DeviceAgent.Fuzz.Targets;

/// <summary>
/// The DPS JSON payloads both sides read (register request, operation status, error, TPM
/// challenge) with the source-generated context, as the device (DeviceAgent.Provisioning) and the
/// endpoint (which compiles the same wire source in) each build it. Bad input: <see cref="JsonException"/>.
/// Invariant: whatever parses re-serialises to JSON that parses to the same JSON again.
/// </summary>
internal static class DpsJsonTarget
{
    public static FuzzTarget Target { get; } = new("dps-json", Run);

    private static void Run(byte[] data)
    {
        // The endpoint reads register requests; the device reads statuses, errors and challenges.
        RoundTrip(data, DpsJsonContext.Default.DeviceRegistrationRequest);
        RoundTrip(data, DpsJsonContext.Default.TpmRegistrationChallenge);
        RoundTrip(data, DeviceWire.DpsJsonContext.Default.RegistrationOperationStatus);
        RoundTrip(data, DeviceWire.DpsJsonContext.Default.ProvisioningErrorDetails);
        RoundTrip(data, DeviceWire.DpsJsonContext.Default.TpmRegistrationChallenge);
    }

    private static void RoundTrip<T>(byte[] data, JsonTypeInfo<T> type)
        where T : class
    {
        T? value;
        try
        {
            value = JsonSerializer.Deserialize(data, type);
        }
        catch (JsonException)
        {
            return;
        }
        if (value is null)
            return; // the JSON literal null
        var once = JsonSerializer.SerializeToUtf8Bytes(value, type);
        var twice = JsonSerializer.SerializeToUtf8Bytes(JsonSerializer.Deserialize(once, type)!, type);
        if (!once.AsSpan().SequenceEqual(twice))
            throw new InvariantViolatedException($"{typeof(T).Name}: serialising what was read is not a fixed point");
    }
}
