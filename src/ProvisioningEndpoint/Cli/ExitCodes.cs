namespace ProvisioningEndpoint.Cli;

/// <summary>What <c>provisioning-endpoint</c>'s exit codes mean.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failed = 1;
    public const int UsageError = 2;
}
