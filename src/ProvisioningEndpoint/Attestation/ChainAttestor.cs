using System.Security.Cryptography.X509Certificates;
using DeviceAgent.Pki.Chains;
using DeviceAgent.Pki.Chains.Trust;

namespace ProvisioningEndpoint.Attestation;

/// <summary>The outcome of attesting a presented chain.</summary>
/// <param name="Path">Leaf first, then each issuer up to the highest known certificate (the root when known); empty when untrusted.</param>
/// <param name="Problem">Why the chain is not trusted; null when it is.</param>
/// <param name="RefusalReason">The problem as one of <see cref="ChainRefusalReasons"/>; null when trusted.</param>
public sealed record ChainAttestation(IReadOnlyList<X509Certificate2> Path, string? Problem, string? RefusalReason = null)
{
    /// <summary>True when the chain leads to a verified CA certificate.</summary>
    public bool IsTrusted => Problem is null;
}

/// <summary>
/// Decides whether a device's chain leads, through the intermediates the device presented, to a
/// CA certificate that passed proof of possession. Built on .NET's X509Chain with only verified
/// CA certificates as anchors, requiring clientAuth where a certificate restricts its usage, with
/// no certificate downloads and no revocation checks (DPS blocks by disabling entries, not by
/// CRLs). When the TLS handshake already built the chain against the same anchors (the DPS
/// listener has SslStream do so), that judgement is used instead of a second build. The path is
/// then extended upward through uploaded CA certificates so that an enrollment group on a
/// certificate above the anchor is still found.
/// </summary>
public sealed class ChainAttestor(TrustAnchors anchors, TimeProvider clock)
{
    /// <summary>Attests a presented chain.</summary>
    public async Task<ChainAttestation> AttestAsync(PresentedChain chain, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var set = await anchors.CurrentAsync(cancellationToken).ConfigureAwait(false);
        if (set.Verified.Count == 0)
            return new ChainAttestation([], "no CA certificate is verified: upload the CA and complete proof of possession",
                ChainRefusalReasons.NoVerifiedCa);

        ChainTrustResult? evaluated = null;
        try
        {
            var result = chain.HandshakeTrust is { } handshake && handshake.AnchorsVersion == set.Version
                ? handshake.Result
                : evaluated = ChainTrust.Evaluate(chain.Leaf, chain.Intermediates, set.Verified, clock.GetUtcNow(), ChainTrust.ClientAuthentication);
            if (!result.IsTrusted)
            {
                var sent = chain.Intermediates.Count == 0 ? "the device sent no intermediate" : $"the device sent {chain.Intermediates.Count} intermediate(s)";
                var reasons = string.Join("; ", result.Problems.Select(p => p.ToString()));
                return new ChainAttestation([], $"the certificate chain does not lead to a verified CA certificate ({sent}): {reasons}",
                    ChainRefusalReasons.UntrustedChain);
            }

            var path = result.Path.Select(c => X509CertificateLoader.LoadCertificate(c.RawData)).ToList();
            ExtendUpward(path, set.Uploaded);
            return new ChainAttestation(path, null);
        }
        finally
        {
            evaluated?.Dispose();
        }
    }

    /// <summary>
    /// What the DPS listener gives the TLS stack to judge a device's chain during the handshake
    /// (one chain build per connection instead of two): a fresh policy with the current anchors.
    /// </summary>
    public async ValueTask<(string AnchorsVersion, X509ChainPolicy Policy)?> HandshakePolicyAsync(CancellationToken cancellationToken)
    {
        var set = await anchors.CurrentAsync(cancellationToken).ConfigureAwait(false);
        return set.Verified.Count == 0 ? null : (set.Version, ChainTrust.CreatePolicy(set.Verified, clock.GetUtcNow(), ChainTrust.ClientAuthentication));
    }

    // Add the issuers of the last certificate from the uploaded CA certificates, while one issued it.
    private static void ExtendUpward(List<X509Certificate2> path, IReadOnlyList<X509Certificate2> uploaded)
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
            path.Add(X509CertificateLoader.LoadCertificate(issuer.RawData));
        }
    }
}
