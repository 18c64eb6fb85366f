using Microsoft.AspNetCore.Http;

namespace ProvisioningEndpoint.Rest.Http;

/// <summary>
/// The If-Match header of a write, as DPS and IoT Hub read it: absent (create only: an existing
/// entity is a 409), <c>*</c> (quoted or not: any current version), or an etag (quotes optional:
/// a mismatch is a 412).
/// </summary>
/// <param name="IsPresent">Whether the header was sent.</param>
/// <param name="Etag">The etag; null when absent or <c>*</c>.</param>
internal readonly record struct IfMatch(bool IsPresent, string? Etag)
{
    /// <summary>True when the header is <c>*</c>.</summary>
    public bool IsAny => IsPresent && Etag is null;

    /// <summary>What the store checks: the etag, or null for "no check".</summary>
    public string? ForStore => Etag;

    /// <summary>Reads the header.</summary>
    public static IfMatch Read(HttpRequest request)
    {
        var value = request.Headers.IfMatch.ToString().Trim();
        if (value.Length == 0)
            return new IfMatch(false, null);
        return value is "*" or "\"*\"" ? new IfMatch(true, null) : new IfMatch(true, value);
    }

    /// <summary>
    /// The precondition of a create-or-replace: an existing entity needs If-Match (409 without it,
    /// as DPS and IoT Hub answer), and an etag must be the current one (412); an etag for an
    /// entity that does not exist cannot match (412).
    /// </summary>
    /// <exception cref="RestException">409 or 412.</exception>
    public void CheckPut(string? currentEtag, string what)
    {
        if (currentEtag is null)
        {
            if (Etag is not null)
                throw RestException.PreconditionFailed($"{what} does not exist, so If-Match {Etag} cannot match; create it without If-Match");
            return;
        }
        if (!IsPresent)
            throw RestException.Conflict($"{what} exists; to replace it, send If-Match with its etag (or *)");
        Check(currentEtag, what);
    }

    /// <summary>Throws 412 when the header names an etag that is not <paramref name="current"/>.</summary>
    /// <exception cref="RestException">412.</exception>
    public void Check(string current, string what)
    {
        if (Etag is not null && !Model.Etags.Matches(Etag, current))
            throw RestException.PreconditionFailed($"{what} changed: If-Match {Etag} is not its current etag; read it again and retry");
    }
}
