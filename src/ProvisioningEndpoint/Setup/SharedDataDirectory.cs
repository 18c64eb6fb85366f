using ProvisioningEndpoint.Storage;

namespace ProvisioningEndpoint.Setup;

/// <summary>
/// Makes a data directory agree with every other instance on one external store. What a device or
/// an operator can tell apart lives in the data directory's files: the ID scope (endpoint.json),
/// the owner key (owner.key: service and hub connection strings), the TLS server CA, certificate
/// and keys (tls/), the issuing CAs (issuers/). At start each is offered to the store's
/// <see cref="ISharedSettings"/>: the first instance seeds the cluster with its own, the others
/// adopt the stored ones and rewrite their files (atomically, secrets mode 0600). Issuers are
/// merged by file: one imported on any instance reaches the others at their next start. An
/// issuer's mutable state stays per instance: its serial registry (serials are random, 20 bytes:
/// instances do not collide), its issuance log, its lock.
/// Everything else (listen address and ports, logging) stays per instance.
/// </summary>
public static class SharedDataDirectory
{
    private const string IdScopeName = "idScope";
    private const string FilePrefix = "file:";

    // The files that make instances indistinguishable, and whether each is a secret.
    private static readonly (string Path, bool Secret)[] s_files =
    [
        ("owner.key", true),
        ("tls/server-ca.pem", false),
        ("tls/server-ca.key", true),
        ("tls/server.pem", false),
        ("tls/server.key", true),
    ];

    /// <summary>Seeds or adopts; returns true when this instance adopted another's state.</summary>
    public static async Task<bool> SynchronizeAsync(EndpointDataDirectory data, ISharedSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(settings);
        var adopted = false;
        var configuration = data.LoadConfiguration();
        var idScope = await settings.AdoptAsync(IdScopeName, configuration.IdScope, cancellationToken).ConfigureAwait(false);
        if (idScope != configuration.IdScope)
        {
            configuration.IdScope = idScope;
            configuration.Save(data.ConfigurationFile);
            adopted = true;
        }
        foreach (var (path, secret) in s_files)
            adopted |= await AdoptFileAsync(data, settings, path, secret, cancellationToken).ConfigureAwait(false);

        // Issuers: every local file offered, every stored one not here written.
        var issuers = Path.Combine(data.Path, Issuance.IssuerStore.DirectoryName);
        if (Directory.Exists(issuers))
        {
            foreach (var file in Directory.EnumerateFiles(issuers, "*", SearchOption.AllDirectories).Where(IsIssuerDefinition))
                await AdoptFileAsync(data, settings, Path.GetRelativePath(data.Path, file), secret: true, cancellationToken).ConfigureAwait(false);
        }
        foreach (var (name, value) in await settings.ListAsync(FilePrefix + Issuance.IssuerStore.DirectoryName + "/", cancellationToken).ConfigureAwait(false))
        {
            var file = Path.Combine(data.Path, name[FilePrefix.Length..]);
            if (!File.Exists(file) && IsIssuerDefinition(file))
                Write(file, value, secret: true);
        }
        return adopted;
    }

    // What defines an issuer (ca.json, certificate.pem, key.pem, README): not its per-instance state,
    // not a half-written staging directory.
    private static bool IsIssuerDefinition(string file) =>
        Path.GetFileName(file) is not (".lock" or "serials.txt" or "issued.jsonl")
        && !file.Contains("/.", StringComparison.Ordinal);

    private static async Task<bool> AdoptFileAsync(EndpointDataDirectory data, ISharedSettings settings, string relative, bool secret, CancellationToken cancellationToken)
    {
        var file = Path.Combine(data.Path, relative);
        var local = Convert.ToBase64String(await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false));
        var stored = await settings.AdoptAsync(FilePrefix + relative.Replace('\\', '/'), local, cancellationToken).ConfigureAwait(false);
        if (stored == local)
            return false;
        Write(file, stored, secret);
        return true;
    }

    private static void Write(string file, string base64, bool secret)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        DataFiles.WriteAtomically(file, Convert.FromBase64String(base64), secret);
    }
}
