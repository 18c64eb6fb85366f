namespace Factory.Endpoint;

// Individual enrollments and enrollment groups (DPS service API).
internal sealed partial class ProvisioningServiceClient
{
    public Task<EnrollmentResource?> GetEnrollmentGroupAsync(string id, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"/enrollmentGroups/{Uri.EscapeDataString(id)}", ServiceJson.Default.EnrollmentResource, cancellationToken, notFoundIsNull: true);

    public Task<EnrollmentResource?> GetIndividualEnrollmentAsync(string registrationId, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"/enrollments/{Uri.EscapeDataString(registrationId)}", ServiceJson.Default.EnrollmentResource, cancellationToken, notFoundIsNull: true);

    /// <summary>Creates (<paramref name="ifMatch"/> null) or replaces a group.</summary>
    public async Task<EnrollmentResource> PutEnrollmentGroupAsync(EnrollmentResource group, string? ifMatch, CancellationToken cancellationToken) =>
        (await SendAsync(HttpMethod.Put, $"/enrollmentGroups/{Uri.EscapeDataString(group.EnrollmentGroupId!)}", ServiceJson.Default.EnrollmentResource,
            cancellationToken, body: Json(group, ServiceJson.Default.EnrollmentResource), ifMatch: ifMatch).ConfigureAwait(false))!;

    /// <summary>Creates (<paramref name="ifMatch"/> null) or replaces an individual enrollment.</summary>
    public async Task<EnrollmentResource> PutIndividualEnrollmentAsync(EnrollmentResource enrollment, string? ifMatch, CancellationToken cancellationToken) =>
        (await SendAsync(HttpMethod.Put, $"/enrollments/{Uri.EscapeDataString(enrollment.RegistrationId!)}", ServiceJson.Default.EnrollmentResource,
            cancellationToken, body: Json(enrollment, ServiceJson.Default.EnrollmentResource), ifMatch: ifMatch).ConfigureAwait(false))!;

    /// <summary>Deletes a group.</summary>
    public async Task DeleteEnrollmentGroupAsync(string id, string etag, CancellationToken cancellationToken) =>
        await SendAsync<string>(HttpMethod.Delete, $"/enrollmentGroups/{Uri.EscapeDataString(id)}", null, cancellationToken, ifMatch: etag).ConfigureAwait(false);

    /// <summary>Deletes an individual enrollment.</summary>
    public async Task DeleteIndividualEnrollmentAsync(string registrationId, string etag, CancellationToken cancellationToken) =>
        await SendAsync<string>(HttpMethod.Delete, $"/enrollments/{Uri.EscapeDataString(registrationId)}", null, cancellationToken, ifMatch: etag).ConfigureAwait(false);

    public Task<IReadOnlyList<EnrollmentResource>> QueryEnrollmentGroupsAsync(CancellationToken cancellationToken) =>
        QueryAsync("/enrollmentGroups/query", ServiceJson.Default.ListEnrollmentResource, cancellationToken);

    /// <summary>The registration states of the devices a group decided.</summary>
    public Task<IReadOnlyList<RegistrationState>> QueryGroupRegistrationsAsync(string id, CancellationToken cancellationToken) =>
        QueryAsync($"/registrations/{Uri.EscapeDataString(id)}/query", ServiceJson.Default.ListRegistrationState, cancellationToken);

    public Task<RegistrationState?> GetRegistrationAsync(string registrationId, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, $"/registrations/{Uri.EscapeDataString(registrationId)}", ServiceJson.Default.RegistrationState, cancellationToken, notFoundIsNull: true);

    // Every page of a DPS query (x-ms-continuation).
    private async Task<IReadOnlyList<T>> QueryAsync<T>(string path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<List<T>> type, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        string? continuation = null;
        do
        {
            var headers = new Dictionary<string, string> { ["x-ms-max-item-count"] = "1000" };
            if (continuation is not null)
                headers["x-ms-continuation"] = continuation;
            string? next = null;
            var page = await SendAsync(HttpMethod.Post, path, type, cancellationToken, body: Json(new QuerySpecification(), ServiceJson.Default.QuerySpecification),
                headers: headers, readHeaders: h => next = h.TryGetValues("x-ms-continuation", out var values) ? values.FirstOrDefault() : null).ConfigureAwait(false);
            items.AddRange(page ?? []);
            continuation = next;
        }
        while (continuation is not null);
        return items;
    }
}
