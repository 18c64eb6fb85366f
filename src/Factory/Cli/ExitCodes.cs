namespace Factory.Cli;

/// <summary>What <c>bringup</c>'s exit codes mean (every command's --help lists them).</summary>
internal static class ExitCodes
{
    /// <summary>Everything requested succeeded (or was already done).</summary>
    public const int Success = 0;

    /// <summary>The operation was attempted and failed, or a check failed (inspect); nothing partial was left behind.</summary>
    public const int Failed = 1;

    /// <summary>The command line or the configuration is wrong (an option, a name, an id, a missing file); nothing was attempted.</summary>
    public const int UsageError = 2;

    /// <summary>The sentence every command's help ends with.</summary>
    public const string Help = "Exit codes: 0 done (or already done), 1 the operation failed, 2 bad options, names or configuration (nothing attempted).";
}
