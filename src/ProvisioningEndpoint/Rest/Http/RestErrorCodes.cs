namespace ProvisioningEndpoint.Rest.Http;

/// <summary>
/// The extended error codes of the REST API, as DPS and IoT Hub answer them: code / 1000 is the
/// HTTP status (400004 -> 400).
/// </summary>
public static class RestErrorCodes
{
    /// <summary>The request is not what the API expects (IoT Hub "ArgumentInvalid").</summary>
    public const int BadRequest = 400004;

    /// <summary>The shared access signature is missing, malformed, expired or does not verify.</summary>
    public const int Unauthorized = 401002;

    /// <summary>The addressed entity does not exist (IoT Hub "DeviceNotFound").</summary>
    public const int NotFound = 404001;

    /// <summary>The addressed hub does not exist (IoT Hub "IotHubNotFound").</summary>
    public const int HubNotFound = 404002;

    /// <summary>The method is not served on this path.</summary>
    public const int MethodNotAllowed = 405001;

    /// <summary>The entity exists already, or the change conflicts with another entity (IoT Hub "DeviceAlreadyExists").</summary>
    public const int Conflict = 409001;

    /// <summary>If-Match is not the current etag (IoT Hub "PreconditionFailed").</summary>
    public const int PreconditionFailed = 412002;

    /// <summary>The service failed; the tracking id finds the cause in its log.</summary>
    public const int InternalError = 500001;

    /// <summary>The IoT Hub error name of a code, for the hub registry's <c>Message</c> (<c>ErrorCode:DeviceNotFound;...</c>).</summary>
    public static string HubErrorName(int errorCode) => errorCode switch
    {
        BadRequest => "ArgumentInvalid",
        Unauthorized => "IotHubUnauthorizedAccess",
        NotFound => "DeviceNotFound",
        HubNotFound => "IotHubNotFound",
        MethodNotAllowed => "MethodNotAllowed",
        Conflict => "DeviceAlreadyExists",
        PreconditionFailed => "PreconditionFailed",
        _ => "ServerError",
    };
}
