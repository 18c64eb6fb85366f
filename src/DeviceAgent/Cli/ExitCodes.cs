namespace DeviceAgent.Cli;

/// <summary>What <c>deviceagent</c>'s exit codes mean (documented in the README).</summary>
internal static class ExitCodes
{
    /// <summary>Everything requested succeeded.</summary>
    public const int Success = 0;

    /// <summary>The command ran and failed: a doctor check failed, DPS refused or could not be reached.</summary>
    public const int CheckFailed = 1;

    /// <summary>The command line or the configuration is wrong; nothing was attempted.</summary>
    public const int UsageError = 2;

    /// <summary>The device identity (token, PIN, key, chain) cannot be used; `deviceagent doctor` says why.</summary>
    public const int IdentityUnusable = 3;
}
