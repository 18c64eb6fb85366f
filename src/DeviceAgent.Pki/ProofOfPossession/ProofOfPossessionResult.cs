namespace DeviceAgent.Pki.ProofOfPossession;

/// <summary>The verdict on a verification certificate.</summary>
/// <param name="Problem">What is wrong; null when it proves possession.</param>
/// <param name="Message">The verdict in words, for the operator (and an endpoint's error response).</param>
public sealed record ProofOfPossessionResult(ProofOfPossessionProblem? Problem, string Message)
{
    /// <summary>True when the certificate proves possession of the CA's private key.</summary>
    public bool IsValid => Problem is null;
}
