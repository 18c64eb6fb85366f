namespace ProvisioningEndpoint.Rest.Http;

/// <summary>
/// A request the REST API refuses, with the public error it answers: the HTTP status is
/// <see cref="ErrorCode"/> / 1000 (DPS and IoT Hub extended codes) and <see cref="Exception.Message"/>
/// is shown to the caller, so it names what is wrong and what to do, never internals.
/// </summary>
public sealed class RestException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RestException() : this(RestErrorCodes.InternalError, "the request failed") { }

    /// <summary>Creates the exception.</summary>
    public RestException(string message) : this(RestErrorCodes.BadRequest, message) { }

    /// <summary>Creates the exception.</summary>
    public RestException(string message, Exception innerException) : base(message, innerException) => ErrorCode = RestErrorCodes.BadRequest;

    /// <summary>Creates the exception.</summary>
    /// <param name="errorCode">The extended error code (see <see cref="RestErrorCodes"/>).</param>
    /// <param name="message">The public message.</param>
    public RestException(int errorCode, string message) : base(message) => ErrorCode = errorCode;

    /// <summary>The extended error code.</summary>
    public int ErrorCode { get; }

    /// <summary>The HTTP status.</summary>
    public int Status => ErrorCode / 1000;

    /// <summary>400: the request (body, header or query) is not what the API expects.</summary>
    public static RestException BadRequest(string message) => new(RestErrorCodes.BadRequest, message);

    /// <summary>400 naming the body field that is wrong.</summary>
    public static RestException BadField(string field, string problem) => new(RestErrorCodes.BadRequest, $"'{field}' {problem}");

    /// <summary>404: the addressed entity does not exist.</summary>
    public static RestException NotFound(string message) => new(RestErrorCodes.NotFound, message);

    /// <summary>409: the entity exists, or the change conflicts with another entity.</summary>
    public static RestException Conflict(string message) => new(RestErrorCodes.Conflict, message);

    /// <summary>412: If-Match is not the entity's current etag.</summary>
    public static RestException PreconditionFailed(string message) => new(RestErrorCodes.PreconditionFailed, message);
}
