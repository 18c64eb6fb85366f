using ProvisioningEndpoint.Rest.Enrollments;
using ProvisioningEndpoint.Rest.Http;

namespace ProvisioningEndpoint.Rest.Certificates;

/// <summary>CA certificate names: 1..64 letters, digits, '-', '_', '.' (as bringup's CA names), not starting with '.'.</summary>
internal static class CertificateNames
{
    /// <summary>Checks a name.</summary>
    /// <exception cref="RestException">400.</exception>
    public static string Check(string name)
    {
        if (name.Length is 0 or > 64 || name[0] == '.' || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            throw RestException.BadField("name", $"(path) '{EnrollmentFields.Shorten(name)}' is not a certificate name: 1..64 letters, digits, '-', '_', '.', not starting with '.'");
        return name;
    }
}
