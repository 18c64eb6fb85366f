using DeviceAgent.Pki.Requests;
using ProvisioningEndpoint.Issuance;

namespace DeviceAgent.Fuzz.Targets;

/// <summary>
/// The endpoint's CSR reader: PKCS#10 from a registration's <c>csr</c> (base64 DER) through
/// <see cref="DeviceCertificateIssuer.Check"/>, and the PEM-or-DER reader under it. Bad input:
/// <see cref="IssuanceException"/> and <see cref="CertificationRequestException"/>.
/// </summary>
internal static class CertificationRequestTarget
{
    public static FuzzTarget Target { get; } = new("pkcs10", Run);

    private static void Run(byte[] data)
    {
        try
        {
            _ = DeviceCertificateIssuer.Check("fuzz-device", Convert.ToBase64String(data));
        }
        catch (IssuanceException)
        {
        }
        try
        {
            _ = CertificationRequest.Parse(data, "fuzz input");
        }
        catch (CertificationRequestException)
        {
        }
    }
}
