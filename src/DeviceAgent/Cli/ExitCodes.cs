namespace DeviceAgent.Cli;

/// <summary>What <c>deviceagent</c>'s exit codes mean (documented in the README).</summary>
internal static class ExitCodes
{
    /// <summary>Everything requested succeeded.</summary>
    public const int Success = 0;

    /// <summary>The command ran and found a problem (a doctor check failed).</summary>
    public const int CheckFailed = 1;

    /// <summary>The command line or the configuration is wrong; nothing was attempted.</summary>
    public const int UsageError = 2;
}
