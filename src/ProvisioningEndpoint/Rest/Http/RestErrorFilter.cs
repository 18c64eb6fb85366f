using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Rest.Http;

/// <summary>
/// The trust boundary of the REST API: turns what a route throws into a specific public error
/// (<see cref="RestException"/> as it says; a stale etag as 412) and anything else into a 500
/// that carries only a tracking id, while the log gets the internal cause under that id.
/// Outermost filter of every route group, so authentication failures pass through it too.
/// </summary>
internal sealed partial class RestErrorFilter(bool hubStyle, TimeProvider clock, ILogger<RestErrorFilter> logger) : IEndpointFilter
{
    /// <inheritdoc />
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        try
        {
            return await next(context);
        }
        catch (RestException e)
        {
            var trackingId = ErrorResponses.NewTrackingId();
            LogRefused(http.Request.Method, http.Request.Path, e.Status, trackingId, e.Message);
            return ErrorResponses.Create(e.ErrorCode, e.Message, trackingId, clock.GetUtcNow(), hubStyle);
        }
        catch (StoreConflictException e)
        {
            // The store's messages name the entity and the etags; they are written for the caller.
            var trackingId = ErrorResponses.NewTrackingId();
            LogRefused(http.Request.Method, http.Request.Path, 412, trackingId, e.Message);
            return ErrorResponses.Create(RestErrorCodes.PreconditionFailed, e.Message, trackingId, clock.GetUtcNow(), hubStyle);
        }
        catch (BadHttpRequestException e)
        {
            var trackingId = ErrorResponses.NewTrackingId();
            LogRefused(http.Request.Method, http.Request.Path, 400, trackingId, e.Message);
            return ErrorResponses.Create(RestErrorCodes.BadRequest, "the request could not be read (" + e.Message + ")", trackingId, clock.GetUtcNow(), hubStyle);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // The boundary: every other failure becomes an opaque 500 and a logged cause.
        catch (Exception e)
#pragma warning restore CA1031
        {
            var trackingId = ErrorResponses.NewTrackingId();
            LogFailed(e, http.Request.Method, http.Request.Path, trackingId);
            return ErrorResponses.Create(RestErrorCodes.InternalError,
                $"the endpoint failed to handle the request; tracking id {trackingId} finds the cause in its log", trackingId, clock.GetUtcNow(), hubStyle);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "REST {Method} {Path}: {Status} (tracking id {TrackingId}): {Reason}")]
    private partial void LogRefused(string method, PathString path, int status, string trackingId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "REST {Method} {Path}: failed (tracking id {TrackingId})")]
    private partial void LogFailed(Exception exception, string method, PathString path, string trackingId);
}
