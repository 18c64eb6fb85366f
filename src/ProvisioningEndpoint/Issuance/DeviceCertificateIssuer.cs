using DeviceAgent.Pki.Authority;
using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Registration;
using DeviceAgent.Pki.Requests;
using Microsoft.Extensions.Logging;

namespace ProvisioningEndpoint.Issuance;

/// <summary>A leaf the endpoint issued, with the chain the device presents from now on.</summary>
/// <param name="Chain">DER certificates, leaf first, then the issuer and the CAs above it (the root excluded: devices hold it).</param>
/// <param name="Thumbprint">SHA-1 thumbprint of the leaf (what the hub authenticates).</param>
/// <param name="NotAfter">The leaf's end of validity.</param>
public sealed record IssuedChain(IReadOnlyList<byte[]> Chain, string Thumbprint, DateTimeOffset NotAfter)
{
    /// <summary>The chain as DPS sends it: base64 DER, leaf first.</summary>
    public IReadOnlyList<string> ToBase64() => [.. Chain.Select(Convert.ToBase64String)];
}

/// <summary>
/// Issues device leaves from certificate requests under an entry's issuance policy, with
/// <c>bringup</c>'s device profile (CN = registration id, clientAuth) and key strength policy. A
/// request is checked completely before anything is signed: base64, PKCS#10 (RFC 2986), its
/// self-signature, its key, its CN. Thread-safe (the issuer's lock serialises signing).
/// </summary>
public sealed partial class DeviceCertificateIssuer(IssuerStore issuers, TimeProvider clock, ILogger<DeviceCertificateIssuer> logger)
{
    /// <summary>Checks a request and issues its leaf.</summary>
    /// <param name="registrationId">The registering device; the request's CN must be it.</param>
    /// <param name="csr">The request: base64 of its DER, as DPS carries it.</param>
    /// <param name="policy">The deciding entry's policy.</param>
    /// <exception cref="IssuanceException">The request is refused (400xxx, the reason), or the issuer cannot sign (500040).</exception>
    public IssuedChain Issue(string registrationId, string csr, CertificateIssuancePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var request = Check(registrationId, csr);
        using var issuer = issuers.Open(policy.IssuerName, clock);
        IssuedCertificate issued;
        try
        {
            issued = issuer.IssueDevice(new DeviceCertificateRequest(request, RegistrationId.Parse(registrationId), policy.Validity));
        }
        catch (Exception e) when (e is CertificateAuthorityException or DeviceAgent.Keys.KeyCustodyException or IOException)
        {
            throw new IssuanceException(IssuanceErrorCodes.IssuerUnavailable, $"issuer '{policy.IssuerName}' failed to sign: {e.Message}", e);
        }
        using (issued)
        {
            var chain = new List<byte[]> { issued.Der.ToArray() };
            chain.AddRange(issuer.ChainToRoot.Where(c => !CertificateSignature.IsSelfSigned(c)).Select(c => c.RawData));
            LogIssued(registrationId, policy.IssuerName, issued.Record.Thumbprint, issued.Record.NotAfter);
            return new IssuedChain(chain, issued.Record.Thumbprint, issued.Record.NotAfter);
        }
    }

    /// <summary>Checks a request without issuing.</summary>
    /// <exception cref="IssuanceException">400xxx with the reason.</exception>
    public static CertificationRequest Check(string registrationId, string csr)
    {
        byte[] der;
        try
        {
            der = Convert.FromBase64String(csr);
        }
        catch (FormatException e)
        {
            throw new IssuanceException(IssuanceErrorCodes.NotACertificationRequest, "the csr is not base64 (it must be base64 of a DER PKCS#10 request)", e);
        }
        CertificationRequest request;
        try
        {
            request = CertificationRequest.Parse(der, "the csr");
        }
        catch (CertificationRequestException e)
        {
            var code = e.Problem switch
            {
                CertificationRequestProblem.BadSignature => IssuanceErrorCodes.BadSignature,
                CertificationRequestProblem.WeakKey => IssuanceErrorCodes.WeakKey,
                CertificationRequestProblem.BadSubject => IssuanceErrorCodes.WrongCommonName,
                _ => IssuanceErrorCodes.NotACertificationRequest,
            };
            throw new IssuanceException(code, e.Message, e);
        }
        if (!string.Equals(request.CommonName, registrationId, StringComparison.Ordinal))
        {
            throw new IssuanceException(IssuanceErrorCodes.WrongCommonName,
                $"the csr's subject CN is '{request.CommonName}', but the registration id is '{registrationId}': a device's CN is its registration id");
        }
        return request;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "registration {RegistrationId}: issuer {Issuer} issued leaf {Thumbprint}, valid until {NotAfter}")]
    private partial void LogIssued(string registrationId, string issuer, string thumbprint, DateTimeOffset notAfter);
}
