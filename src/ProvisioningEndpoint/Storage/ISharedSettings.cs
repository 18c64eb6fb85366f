namespace ProvisioningEndpoint.Storage;

/// <summary>
/// Settings every endpoint instance on one store must agree on (the ID scope, the owner key, the
/// TLS server certificate and key, the issuers' files): the first instance to offer a value for a
/// name seeds it, every later offer adopts the stored one. Values never change once seeded.
/// Implementations are safe for concurrent use by several processes. A capability of external
/// stores beside <see cref="IProvisioningStore"/>, so decorators of that contract need not know it.
/// </summary>
public interface ISharedSettings
{
    /// <summary>
    /// Stores <paramref name="proposed"/> under <paramref name="name"/> unless a value is stored
    /// already; returns the value that is stored now (the proposal, or the earlier one).
    /// </summary>
    Task<string> AdoptAsync(string name, string proposed, CancellationToken cancellationToken = default);

    /// <summary>The names stored under a prefix, with their values, by name.</summary>
    Task<IReadOnlyList<KeyValuePair<string, string>>> ListAsync(string prefix, CancellationToken cancellationToken = default);
}
