using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Pki.Chains;

namespace DeviceAgent.Renewal;

/// <summary>
/// What the agent checks in a chain the service issued before it uses it: the leaf's subject CN
/// is the registration id, the leaf certifies the new token key (not some other key), and the
/// chain builds to a trusted root with every rule of <see cref="ChainBundleValidator"/> (validity,
/// clientAuth, CA constraints). A chain that fails is never written or used.
/// </summary>
public static class IssuedChainCheck
{
    /// <summary>Checks the issued chain (base64 DER, leaf first) and returns it as a bundle; the caller disposes it.</summary>
    /// <param name="issuedChain">registrationState.issuedCertificateChain, or the hub's answer.</param>
    /// <param name="registrationId">The device's registration id.</param>
    /// <param name="newKey">The public key of the new token key.</param>
    /// <param name="trustAnchors">The roots the device trusts for its own chain.</param>
    /// <param name="validator">The chain validator (its clock decides validity).</param>
    /// <exception cref="ChainValidationException">The chain is malformed, for another device or key, or does not build to a trusted root.</exception>
    public static ChainBundle Check(IReadOnlyList<string>? issuedChain, string registrationId, PublicKey newKey,
        X509Certificate2Collection trustAnchors, ChainBundleValidator validator)
    {
        ArgumentNullException.ThrowIfNull(newKey);
        ArgumentNullException.ThrowIfNull(validator);
        if (issuedChain is not { Count: > 0 })
            throw new ChainValidationException("the service answered without issuedCertificateChain: no certificate was issued");
        var certificates = new List<X509Certificate2>(issuedChain.Count);
        try
        {
            foreach (var text in issuedChain)
                certificates.Add(X509CertificateLoader.LoadCertificate(Convert.FromBase64String(text)));
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            foreach (var certificate in certificates)
                certificate.Dispose();
            throw new ChainValidationException($"issuedCertificateChain holds something that is not base64 DER of a certificate ({e.Message})", e);
        }
        var bundle = ChainBundle.Create(certificates, "issuedCertificateChain");
        foreach (var certificate in certificates)
            certificate.Dispose();
        try
        {
            var commonName = bundle.Leaf.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
            if (!string.Equals(commonName, registrationId, StringComparison.Ordinal))
                throw new ChainValidationException($"the issued leaf's subject CN is '{commonName}', not this device's registration id '{registrationId}'");
            validator.ValidateOrThrow(bundle, new ChainValidationOptions
            {
                LeafKey = ExpectedLeafKey.FromPublicKey(newKey, "the new token key"),
                TrustAnchors = trustAnchors,
            });
            return bundle;
        }
        catch
        {
            bundle.Dispose();
            throw;
        }
    }
}
