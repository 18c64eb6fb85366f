using System.Security.Cryptography.X509Certificates;

namespace DeviceAgent.Pki.Chains.Trust;

/// <summary>One status X509Chain reported for one certificate of the path.</summary>
/// <param name="Certificate">The certificate (owned by the <see cref="ChainTrustResult"/>).</param>
/// <param name="PathIndex">Its index in <see cref="ChainTrustResult.Path"/> (0 is the leaf).</param>
/// <param name="Status">The X509Chain status flag.</param>
/// <param name="Information">The platform's description of the status.</param>
public sealed record ChainTrustProblem(X509Certificate2 Certificate, int PathIndex, X509ChainStatusFlags Status, string Information);
