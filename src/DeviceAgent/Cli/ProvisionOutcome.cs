namespace DeviceAgent.Cli;

/// <summary>What <c>deviceagent provision --json</c> prints.</summary>
public sealed record ProvisionOutcome
{
    /// <summary>assigned, or the reason it is not: disabled, failed, refused, unreachable.</summary>
    public required string Status { get; init; }

    /// <summary>The registration id used.</summary>
    public string? RegistrationId { get; init; }

    /// <summary>The assigned hub (host or host:port).</summary>
    public string? AssignedHub { get; init; }

    /// <summary>The device id in that hub.</summary>
    public string? DeviceId { get; init; }

    /// <summary>DPS's substatus.</summary>
    public string? Substatus { get; init; }

    /// <summary>The DPS extended error code when refused.</summary>
    public int? ErrorCode { get; init; }

    /// <summary>Why it was refused.</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>What probably causes the refusal.</summary>
    public string? LikelyCause { get; init; }
}
