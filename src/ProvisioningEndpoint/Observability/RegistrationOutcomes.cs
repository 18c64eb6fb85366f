namespace ProvisioningEndpoint.Observability;

/// <summary>The outcome label of <c>provisioning_endpoint_registrations_total</c>: what the device is told in the end.</summary>
public static class RegistrationOutcomes
{
    /// <summary>Assigned to a hub (the operation's status is assigned).</summary>
    public const string Assigned = "assigned";

    /// <summary>The deciding enrollment is disabled (status disabled, error 401002 in the registration state).</summary>
    public const string Disabled = "disabled";

    /// <summary>Accepted, then failed (status failed, e.g. no hub could be allocated).</summary>
    public const string Failed = "failed";

    /// <summary>Answered with an error instead of an operation (bad request, attestation refused, ...).</summary>
    public const string Refused = "refused";

    /// <summary>A TPM device's first request: answered 401 with the activation challenge, as DPS does.</summary>
    public const string Challenged = "challenged";

    /// <summary>The endpoint failed while deciding (e.g. the store was unreachable); the device got no answer.</summary>
    public const string Error = "error";
}
