namespace DeviceAgent.TestPeers;

/// <summary>
/// Both simulated tokens, started together for a test assembly (an xunit collection fixture) and
/// applied to this process's environment, since PKCS#11 modules read it once, when first loaded.
/// </summary>
public sealed class TokenSimulators : IDisposable
{
    /// <summary>Starts swtpm+tpm2-abrmd+tpm2-pkcs11 and SoftHSM2.</summary>
    /// <exception cref="InvalidOperationException">A simulator failed to start (its output says why).</exception>
    public TokenSimulators()
    {
        var tpm = TokenSimulator.StartAsync(TokenKind.Tpm);
        var softHsm = TokenSimulator.StartAsync(TokenKind.SoftHsm);
        try
        {
            Task.WaitAll(tpm, softHsm);
        }
        catch (AggregateException)
        {
            if (tpm.IsCompletedSuccessfully) tpm.Result.Dispose();
            if (softHsm.IsCompletedSuccessfully) softHsm.Result.Dispose();
            throw;
        }
        Tpm = tpm.Result;
        SoftHsm = softHsm.Result;
        Tpm.ApplyToProcess();
        SoftHsm.ApplyToProcess();
    }

    /// <summary>The TPM token.</summary>
    public TokenSimulator Tpm { get; }

    /// <summary>The SoftHSM2 token.</summary>
    public TokenSimulator SoftHsm { get; }

    /// <summary>The simulator of a kind.</summary>
    public TokenSimulator Get(TokenKind kind) => kind == TokenKind.Tpm ? Tpm : SoftHsm;

    /// <summary>The environment a child process needs to reach both tokens.</summary>
    public IReadOnlyDictionary<string, string> CombinedEnvironment()
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in SoftHsm.Environment) env[k] = v;
        foreach (var (k, v) in Tpm.Environment) env[k] = v;
        return env;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Tpm.Dispose();
        SoftHsm.Dispose();
    }
}
