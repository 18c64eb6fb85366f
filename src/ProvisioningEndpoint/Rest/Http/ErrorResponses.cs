using DeviceAgent.Provisioning.Wire;
using Microsoft.AspNetCore.Http;
using ProvisioningEndpoint.Rest.Wire;

namespace ProvisioningEndpoint.Rest.Http;

/// <summary>
/// Error bodies. The DPS service API answers <c>{"errorCode", "trackingId", "message", "timestampUtc"}</c>;
/// the hub registry answers as IoT Hub does, <c>{"Message": "ErrorCode:DeviceNotFound;...", "ExceptionMessage": ...}</c>
/// (what the IoT Hub SDKs parse), plus the same <c>errorCode</c>, <c>trackingId</c> and <c>timestampUtc</c>.
/// </summary>
internal static class ErrorResponses
{
    /// <summary>The response for an error.</summary>
    public static IResult Create(int errorCode, string message, string trackingId, DateTimeOffset now, bool hubStyle)
    {
        var status = errorCode / 1000;
        if (hubStyle)
        {
            var body = new HubErrorWire
            {
                Message = $"ErrorCode:{RestErrorCodes.HubErrorName(errorCode)};{message}",
                ExceptionMessage = $"Tracking ID:{trackingId}-TimeStamp:{now:MM/dd/yyyy HH:mm:ss}",
                ErrorCode = errorCode,
                TrackingId = trackingId,
                TimestampUtc = now,
            };
            return Results.Json(body, RestJson.Context.HubErrorWire, statusCode: status);
        }
        var details = new ProvisioningErrorDetails { ErrorCode = errorCode, TrackingId = trackingId, Message = message, TimestampUtc = now };
        return Results.Json(details, RestJson.Context.ProvisioningErrorDetails, statusCode: status);
    }

    /// <summary>Writes an error directly (for middleware that runs outside endpoints).</summary>
    public static Task WriteAsync(HttpContext context, int errorCode, string message, DateTimeOffset now, bool hubStyle) =>
        Create(errorCode, message, context.TraceIdentifier, now, hubStyle).ExecuteAsync(context);

    /// <summary>A new tracking id.</summary>
    public static string NewTrackingId() => Guid.NewGuid().ToString();
}
