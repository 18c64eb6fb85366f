namespace ProvisioningEndpoint.Rest.Auth;

/// <summary>
/// What one listener accepts: tokens of one policy (<c>skn</c>), signed with its key, for one of
/// its resources (<c>sr</c>: <c>host:port</c> for each name the TLS certificate covers, optionally
/// followed by a path that prefixes the request's). Immutable; the key is never logged.
/// </summary>
public sealed class SasPolicy
{
    private readonly byte[] _key;
    private readonly string[] _authorities;

    /// <summary>Creates a policy.</summary>
    /// <param name="keyName">The policy name (<c>provisioningserviceowner</c>, <c>iothubowner</c>).</param>
    /// <param name="key">The policy's key.</param>
    /// <param name="hostNames">Names clients may address the listener by.</param>
    /// <param name="port">The listener's port.</param>
    public SasPolicy(string keyName, byte[] key, IEnumerable<string> hostNames, int port)
    {
        KeyName = keyName;
        _key = key;
        _authorities = [.. hostNames.SelectMany(h => Authorities(h.ToLowerInvariant(), port)).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The policy name tokens must carry in <c>skn</c>.</summary>
    public string KeyName { get; }

    /// <summary>The resource to name in <c>sr</c> (the first host name with the port).</summary>
    public string Resource => _authorities[0];

    /// <summary>Why <paramref name="token"/> is not accepted for a request to <paramref name="requestPath"/>, or null when it is.</summary>
    public string? Check(SharedAccessSignature token, string requestPath, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (token.ExpiresUtc is not { } expires)
            return "the shared access signature's expiry 'se' is not a number of seconds since 1970";
        if (expires <= now)
            return $"the shared access signature expired at {expires:yyyy-MM-dd'T'HH:mm:ss'Z'}; make a new one";
        if (!string.Equals(token.KeyName, KeyName, StringComparison.Ordinal))
            return $"the shared access signature is for policy '{token.KeyName}'; this service accepts '{KeyName}'";
        if (!IsForThisService(token.DecodedResource, requestPath))
            return $"the shared access signature is for '{token.DecodedResource}', not for this service ('{Resource}')";
        if (!token.IsSignedWith(_key))
            return $"the shared access signature does not verify with the key of policy '{KeyName}'; use the key of the connection string";
        return null;
    }

    private bool IsForThisService(string resource, string requestPath)
    {
        var normalised = resource.Trim().ToLowerInvariant();
        foreach (var scheme in new[] { "https://", "http://" })
        {
            if (normalised.StartsWith(scheme, StringComparison.Ordinal))
                normalised = normalised[scheme.Length..];
        }
        normalised = normalised.TrimEnd('/');
        foreach (var authority in _authorities)
        {
            if (normalised == authority)
                return true;
            // A token scoped to a path ("host:port/enrollments") covers that path and below.
            if (normalised.StartsWith(authority + "/", StringComparison.Ordinal))
            {
                var scope = normalised[authority.Length..];
                var path = requestPath.ToLowerInvariant();
                if (path == scope || path.StartsWith(scope + "/", StringComparison.Ordinal))
                    return true;
            }
        }
        return false;
    }

    private static string[] Authorities(string host, int port) => port == 443 ? [host, $"{host}:443"] : [$"{host}:{port}"];
}
