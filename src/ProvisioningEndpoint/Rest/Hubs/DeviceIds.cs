using ProvisioningEndpoint.Rest.Enrollments;
using ProvisioningEndpoint.Rest.Http;

namespace ProvisioningEndpoint.Rest.Hubs;

/// <summary>IoT Hub device ids: up to 128 ASCII letters, digits and <c>- . % _ * ? ! ( ) , : = @ $ '</c>.</summary>
internal static class DeviceIds
{
    /// <summary>Checks a device id.</summary>
    /// <exception cref="RestException">400 naming <paramref name="field"/>.</exception>
    public static string Check(string? id, string field)
    {
        if (string.IsNullOrEmpty(id))
            throw RestException.BadField(field, "is required");
        if (id.Length > 128 || !id.All(c => char.IsAsciiLetterOrDigit(c) || "-.%_*?!(),:=@$'".Contains(c, StringComparison.Ordinal)))
        {
            throw RestException.BadField(field,
                $"'{EnrollmentFields.Shorten(id)}' is not a valid device id: up to 128 ASCII letters, digits and - . % _ * ? ! ( ) , : = @ $ '");
        }
        return id;
    }
}
