using Factory.Endpoint;

namespace Factory.Commands.Entries;

/// <summary>The two kinds of enrollment entry, as the commands name and reach them.</summary>
internal sealed class EntryKind
{
    public static readonly EntryKind Group = new("enrollment group", "group", "enrollment-group", "--id",
        (c, id, t) => c.GetEnrollmentGroupAsync(id, t), (c, e, m, t) => c.PutEnrollmentGroupAsync(e, m, t), (c, id, etag, t) => c.DeleteEnrollmentGroupAsync(id, etag, t));

    public static readonly EntryKind Individual = new("individual enrollment", "individual", "enrollment", "--registration-id",
        (c, id, t) => c.GetIndividualEnrollmentAsync(id, t), (c, e, m, t) => c.PutIndividualEnrollmentAsync(e, m, t), (c, id, etag, t) => c.DeleteIndividualEnrollmentAsync(id, etag, t));

    private readonly Func<ProvisioningServiceClient, string, CancellationToken, Task<EnrollmentResource?>> _get;
    private readonly Func<ProvisioningServiceClient, EnrollmentResource, string?, CancellationToken, Task<EnrollmentResource>> _put;
    private readonly Func<ProvisioningServiceClient, string, string, CancellationToken, Task> _delete;

    private EntryKind(string noun, string name, string command, string idOption,
        Func<ProvisioningServiceClient, string, CancellationToken, Task<EnrollmentResource?>> get,
        Func<ProvisioningServiceClient, EnrollmentResource, string?, CancellationToken, Task<EnrollmentResource>> put,
        Func<ProvisioningServiceClient, string, string, CancellationToken, Task> delete)
    {
        Noun = noun;
        Name = name;
        Command = command;
        IdOption = idOption;
        _get = get;
        _put = put;
        _delete = delete;
    }

    /// <summary>"enrollment group" or "individual enrollment".</summary>
    public string Noun { get; }

    /// <summary>"group" or "individual" (the JSON kind).</summary>
    public string Name { get; }

    /// <summary>The bringup command: "enrollment-group" or "enrollment".</summary>
    public string Command { get; }

    /// <summary>The option that names an entry: "--id" or "--registration-id".</summary>
    public string IdOption { get; }

    public Task<EnrollmentResource?> GetAsync(ProvisioningServiceClient client, string id, CancellationToken cancellationToken) => _get(client, id, cancellationToken);

    /// <summary>The entry, which must exist.</summary>
    /// <exception cref="ProvisioningServiceException">It does not.</exception>
    public async Task<EnrollmentResource> RequireAsync(ProvisioningServiceClient client, string id, CancellationToken cancellationToken) =>
        await _get(client, id, cancellationToken)
            ?? throw new ProvisioningServiceException("endpoint.not-found", 404, $"there is no {Noun} '{id}' on {client.HostName}",
                $"check {IdOption}; bringup {Command} create makes one");

    public Task<EnrollmentResource> PutAsync(ProvisioningServiceClient client, EnrollmentResource entry, string? ifMatch, CancellationToken cancellationToken) =>
        _put(client, entry, ifMatch, cancellationToken);

    public Task DeleteAsync(ProvisioningServiceClient client, string id, string etag, CancellationToken cancellationToken) => _delete(client, id, etag, cancellationToken);

    /// <summary>The entry's id.</summary>
    public string IdOf(EnrollmentResource entry) => (this == Group ? entry.EnrollmentGroupId : entry.RegistrationId) ?? "";
}
