using System.Security.Cryptography.X509Certificates;

namespace DeviceAgent.Pki.Chains.Trust;

/// <summary>
/// The outcome of <see cref="ChainTrust.Evaluate"/> (or <see cref="ChainTrust.Interpret"/>): whether the chain is trusted, the path built
/// (leaf first, the anchor last when one was reached), and every problem found. Owns the path's
/// certificates: disposing the result disposes them.
/// </summary>
public sealed class ChainTrustResult : IDisposable
{
    internal ChainTrustResult(bool isTrusted, IReadOnlyList<X509Certificate2> path, IReadOnlyList<ChainTrustProblem> problems)
    {
        IsTrusted = isTrusted;
        Path = path;
        Problems = problems;
    }

    /// <summary>True when the path reaches a trust anchor and no certificate of it has a problem.</summary>
    public bool IsTrusted { get; }

    /// <summary>The path X509Chain built, leaf first.</summary>
    public IReadOnlyList<X509Certificate2> Path { get; }

    /// <summary>Every problem, certificate by certificate; empty when trusted.</summary>
    public IReadOnlyList<ChainTrustProblem> Problems { get; }

    /// <summary>Disposes the path's certificates.</summary>
    public void Dispose()
    {
        foreach (var certificate in Path)
            certificate.Dispose();
    }
}
