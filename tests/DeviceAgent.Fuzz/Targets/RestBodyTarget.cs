using Microsoft.AspNetCore.Http;
using ProvisioningEndpoint.Rest.Enrollments;
using ProvisioningEndpoint.Rest.Http;
using ProvisioningEndpoint.Rest.Wire;

namespace DeviceAgent.Fuzz.Targets;

/// <summary>
/// The REST API's bodies: an enrollment group and an individual enrollment read as the routes read
/// them (<see cref="RequestBody"/>), then their attestation (certificates in PEM or base64 DER, a
/// TPM endorsement key) mapped as PUT maps it. Bad input: <see cref="RestException"/>, the 400 the
/// API answers.
/// </summary>
internal static class RestBodyTarget
{
    public static FuzzTarget Target { get; } = new("rest-body", Run);

    private static void Run(byte[] data)
    {
        try
        {
            var group = RequestBody.ReadAsync(Request(data), RestJson.Context.EnrollmentGroupWire, "an enrollment group", CancellationToken.None).GetAwaiter().GetResult();
            _ = AttestationMapping.ReadGroup(group.Attestation, null);
        }
        catch (RestException)
        {
        }
        try
        {
            var individual = RequestBody.ReadAsync(Request(data), RestJson.Context.IndividualEnrollmentWire, "an individual enrollment", CancellationToken.None).GetAwaiter().GetResult();
            if (individual.Attestation?.Tpm is not null)
                _ = AttestationMapping.ReadEndorsementKey(individual.Attestation);
            else
                _ = AttestationMapping.ReadClientCertificate(individual.Attestation, null);
        }
        catch (RestException)
        {
        }
    }

    private static HttpRequest Request(byte[] data)
    {
        var context = new DefaultHttpContext();
        context.Request.Body = new MemoryStream(data, writable: false);
        return context.Request;
    }
}
