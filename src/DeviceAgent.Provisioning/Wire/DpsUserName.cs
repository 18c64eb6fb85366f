namespace DeviceAgent.Provisioning.Wire;

/// <summary>
/// The MQTT user name of a DPS device connection:
/// <c>{idScope}/registrations/{registrationId}/api-version=2019-03-31</c>. SDKs use other
/// api-versions and append <c>&amp;ClientVersion=...</c>; both are tolerated when parsing.
/// </summary>
internal sealed record DpsUserName(string IdScope, string RegistrationId, string ApiVersion, string? ClientVersion)
{
    /// <summary>The api-version this implementation speaks.</summary>
    public const string DefaultApiVersion = "2019-03-31";

    /// <summary>The user name text.</summary>
    public string Format() =>
        $"{IdScope}/registrations/{RegistrationId}/api-version={ApiVersion}" +
        (ClientVersion is null ? "" : "&ClientVersion=" + Uri.EscapeDataString(ClientVersion));

    /// <summary>Parses a user name; null with the reason when it is not of the DPS form.</summary>
    public static DpsUserName? TryParse(string? userName, out string? problem)
    {
        problem = null;
        if (string.IsNullOrEmpty(userName))
        {
            problem = "the MQTT user name is missing; DPS expects {idScope}/registrations/{registrationId}/api-version=...";
            return null;
        }
        var parts = userName.Split('/', 4);
        if (parts.Length != 4 || parts[1] != "registrations" || parts[0].Length == 0 || parts[2].Length == 0)
        {
            problem = $"the MQTT user name '{userName}' is not of the form {{idScope}}/registrations/{{registrationId}}/api-version=...";
            return null;
        }
        var query = QueryString.Parse(parts[3]);
        if (!query.TryGetValue("api-version", out var apiVersion) || apiVersion.Length == 0)
        {
            problem = $"the MQTT user name '{userName}' has no api-version";
            return null;
        }
        query.TryGetValue("ClientVersion", out var clientVersion);
        return new DpsUserName(parts[0], parts[2], apiVersion, clientVersion);
    }
}
