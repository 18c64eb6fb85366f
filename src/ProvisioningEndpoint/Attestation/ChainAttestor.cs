using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Chains.Trust;
using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Attestation;

/// <summary>The outcome of attesting a presented chain.</summary>
/// <param name="Path">Leaf first, then each issuer up to the highest known certificate (the root when known); empty when untrusted.</param>
/// <param name="Problem">Why the chain is not trusted; null when it is.</param>
public sealed record ChainAttestation(IReadOnlyList<X509Certificate2> Path, string? Problem)
{
    /// <summary>True when the chain leads to a verified CA certificate.</summary>
    public bool IsTrusted => Problem is null;
}

/// <summary>
/// Decides whether a device's chain leads, through the intermediates the device presented, to a
/// CA certificate that passed proof of possession. Built on .NET's X509Chain with only verified
/// CA certificates as anchors, no certificate downloads and no revocation checks (DPS blocks by
/// disabling entries, not by CRLs). The path is then extended upward through uploaded CA
/// certificates so that an enrollment group on a certificate above the anchor is still found.
/// </summary>
public sealed class ChainAttestor(IProvisioningStore store, TimeProvider clock)
{
    /// <summary>Attests a presented chain.</summary>
    public async Task<ChainAttestation> AttestAsync(PresentedChain chain, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var uploaded = await store.ListCertificatesAsync(cancellationToken).ConfigureAwait(false);
        var anchors = new X509Certificate2Collection();
        foreach (var entry in uploaded.Where(c => c.IsVerified))
            anchors.Add(X509CertificateLoader.LoadCertificate(entry.Certificate));
        if (anchors.Count == 0)
            return new ChainAttestation([], "no CA certificate is verified: upload the CA and complete proof of possession");

        using var result = ChainTrust.Evaluate(chain.Leaf, chain.Intermediates, anchors, clock.GetUtcNow());
        if (!result.IsTrusted)
        {
            var sent = chain.Intermediates.Count == 0 ? "the device sent no intermediate" : $"the device sent {chain.Intermediates.Count} intermediate(s)";
            var reasons = string.Join("; ", result.Problems.Select(p => p.ToString()));
            return new ChainAttestation([], $"the certificate chain does not lead to a verified CA certificate ({sent}): {reasons}");
        }

        var path = result.Path.Select(c => X509CertificateLoader.LoadCertificate(c.RawData)).ToList();
        ExtendUpward(path, uploaded.Select(u => X509CertificateLoader.LoadCertificate(u.Certificate)).ToList());
        return new ChainAttestation(path, null);
    }

    // Add the issuers of the last certificate from the uploaded CA certificates, while one issued it.
    private static void ExtendUpward(List<X509Certificate2> path, List<X509Certificate2> uploaded)
    {
        while (path.Count < 16)
        {
            var top = path[^1];
            if (CertificateSignature.IsSelfIssued(top))
                return; // the root
            var issuer = uploaded.FirstOrDefault(c =>
                path.TrueForAll(p => p.Thumbprint != c.Thumbprint) && CertificateSignature.IsIssuedBy(top, c));
            if (issuer is null)
                return;
            path.Add(issuer);
        }
    }
}
