using System.Text.Json;
using DeviceAgent.Provisioning.Wire;

namespace ProvisioningEndpoint.Registration;

/// <summary>One response of the DPS device protocol: the status in the topic, a JSON body, and retry-after.</summary>
/// <param name="Status">The HTTP-style status in the response topic (200, 202, 401, 429, ...).</param>
/// <param name="Body">The JSON body.</param>
/// <param name="RetryAfterSeconds">The retry-after the device should honour, if any.</param>
public sealed record DpsResponse(int Status, byte[] Body, int? RetryAfterSeconds)
{
    // Messages stay readable on the wire (quotes and '+' unescaped); the bodies are JSON, never HTML.
    private static readonly JsonSerializerOptions s_options =
        new(DpsJsonContext.Default.Options) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>What a register request decided, as one of <see cref="Observability.RegistrationOutcomes"/> (for metrics; not sent).</summary>
    public string? Outcome { get; init; }

    /// <summary>The DPS error code the device is given (an error body's, or a refused registration state's); null when none.</summary>
    public int? ErrorCode { get; init; }

    /// <summary>An operation status body.</summary>
    internal static DpsResponse Operation(int status, RegistrationOperationStatus body, int? retryAfterSeconds) =>
        new(status, JsonSerializer.SerializeToUtf8Bytes(body, s_options.GetTypeInfo(typeof(RegistrationOperationStatus))), retryAfterSeconds);

    /// <summary>An error body: <c>{"errorCode", "trackingId", "message", "timestampUtc"}</c>; errorCode / 1000 is the status.</summary>
    public static DpsResponse Error(int errorCode, string message, DateTimeOffset now, int? retryAfterSeconds = null) =>
        new(errorCode / 1000,
            JsonSerializer.SerializeToUtf8Bytes(new ProvisioningErrorDetails
            {
                ErrorCode = errorCode,
                TrackingId = Guid.NewGuid().ToString(),
                Message = message,
                TimestampUtc = now,
            }, s_options.GetTypeInfo(typeof(ProvisioningErrorDetails))),
            retryAfterSeconds)
        {
            Outcome = Observability.RegistrationOutcomes.Refused,
            ErrorCode = errorCode,
        };
}

/// <summary>The extended error codes this endpoint answers with (code / 1000 = HTTP status).</summary>
public static class DpsErrorCodes
{
    /// <summary>The request body is not what the operation expects.</summary>
    public const int BadRequest = 400004;
    /// <summary>Attestation failed or no enrollment decided for the device.</summary>
    public const int Unauthorized = 401002;
    /// <summary>The operation does not exist (or belongs to another device).</summary>
    public const int OperationNotFound = 404002;
    /// <summary>Too many requests; honour retry-after.</summary>
    public const int Throttled = 429001;
    /// <summary>The service failed.</summary>
    public const int InternalError = 500000;
}
