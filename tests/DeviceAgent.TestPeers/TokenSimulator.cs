namespace DeviceAgent.TestPeers;

/// <summary>Which simulated token.</summary>
public enum TokenKind
{
    /// <summary>swtpm + tpm2-abrmd + tpm2-pkcs11 (hardware/simulators/tpm-sim.sh).</summary>
    Tpm,
    /// <summary>SoftHSM2 (hardware/simulators/softhsm-sim.sh).</summary>
    SoftHsm,
}

/// <summary>
/// A simulated token started by the repository's own simulator scripts, in a fresh temp
/// directory, stopped and removed on disposal. The scripts print the environment a process needs;
/// it is exposed as <see cref="Environment"/> for child processes and can be applied to this one.
/// </summary>
public sealed class TokenSimulator : IDisposable
{
    private readonly string _script;
    private bool _disposed;

    private TokenSimulator(TokenKind kind, string script, Dictionary<string, string> environment)
    {
        Kind = kind;
        _script = script;
        Environment = environment;
    }

    /// <summary>The kind of token.</summary>
    public TokenKind Kind { get; }

    /// <summary>The variables the script printed (module, token label, PIN files, TCTI, store...).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>The PKCS#11 module.</summary>
    public string ModulePath => Environment["DEVICEAGENT_PKCS11_MODULE"];

    /// <summary>The token label.</summary>
    public string TokenLabel => Environment["DEVICEAGENT_TOKEN_LABEL"];

    /// <summary>The file holding the user PIN.</summary>
    public string PinFile => Environment["DEVICEAGENT_PIN_FILE"];

    /// <summary>The simulator's private directory.</summary>
    public string Directory => Environment["DEVICEAGENT_SIM_DIR"];

    /// <summary>A short name for test output: <c>tpm</c> or <c>softhsm</c>.</summary>
    public string Name => Kind == TokenKind.Tpm ? "tpm" : "softhsm";

    /// <summary>Starts a simulator with its script.</summary>
    /// <exception cref="InvalidOperationException">The script failed (its stderr says why, e.g. a missing package).</exception>
    public static async Task<TokenSimulator> StartAsync(TokenKind kind, string? label = null)
    {
        var script = Path.Combine(RepositoryPaths.Simulators, kind == TokenKind.Tpm ? "tpm-sim.sh" : "softhsm-sim.sh");
        var arguments = new List<string> { "start" };
        if (label is not null)
            arguments.AddRange(["--label", label]);
        var result = await ExternalProcess.RunAsync(script, arguments, timeout: TimeSpan.FromSeconds(90));
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(script)} start failed:\n{result.Transcript}");
        return new TokenSimulator(kind, script, ParseExports(result.StandardOutput));
    }

    /// <summary>
    /// Exports the simulator's environment into this process, where PKCS#11 modules read it when
    /// they initialise. Once a module is initialised in a process it keeps its first settings.
    /// </summary>
    public void ApplyToProcess()
    {
        foreach (var (name, value) in Environment)
            NativeEnvironment.Set(name, value);
    }

    /// <summary>Parses <c>export NAME='value'</c> lines.</summary>
    public static Dictionary<string, string> ParseExports(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var line = raw.StartsWith("export ", StringComparison.Ordinal) ? raw[7..] : raw;
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
                continue;
            var value = line[(eq + 1)..];
            if (value.Length >= 2 && value[0] == '\'' && value[^1] == '\'')
                value = value[1..^1];
            result[line[..eq]] = value;
        }
        return result;
    }

    /// <summary>Stops the simulator's processes and removes its directory.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        var result = ExternalProcess.RunAsync(_script, ["stop", Directory], timeout: TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
        if (result.ExitCode != 0)
            Console.Error.WriteLine($"warning: stopping {Name} simulator failed: {result.Transcript}");
    }
}
