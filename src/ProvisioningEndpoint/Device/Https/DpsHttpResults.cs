using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using ProvisioningEndpoint.Registration;

namespace ProvisioningEndpoint.Device.Https;

/// <summary>
/// A <see cref="DpsResponse"/> as DPS's HTTPS device API answers: the status, the same JSON body
/// as the MQTT response, and <c>Retry-After</c> in seconds when the device should wait.
/// </summary>
internal static class DpsHttpResults
{
    public static IResult From(DpsResponse response, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(context);
        if (response.RetryAfterSeconds is { } seconds)
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return Results.Text(Encoding.UTF8.GetString(response.Body), "application/json", Encoding.UTF8, response.Status);
    }
}
