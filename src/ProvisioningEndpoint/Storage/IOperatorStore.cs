using ProvisioningEndpoint.Model;

namespace ProvisioningEndpoint.Storage;

/// <summary>
/// The operator console's accounts and sessions, apart from <see cref="IProvisioningStore"/> so
/// that each storage backend adds them on its own. Safe for concurrent use by several endpoint
/// instances: a session made by one is accepted by all that share the store.
/// </summary>
public interface IOperatorStore
{
    /// <summary>An operator by name, or null.</summary>
    Task<OperatorAccount?> GetOperatorAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Creates an operator or replaces its password; a replaced password ends the operator's sessions.</summary>
    /// <returns>True when the account was created, false when its password was replaced.</returns>
    Task<bool> PutOperatorAsync(OperatorAccount account, CancellationToken cancellationToken = default);

    /// <summary>Records a new session (and drops the sessions that have expired).</summary>
    Task AddSessionAsync(OperatorSession session, CancellationToken cancellationToken = default);

    /// <summary>A session by the hash of its token, or null (expired ones included: the caller checks).</summary>
    Task<OperatorSession?> GetSessionAsync(byte[] tokenHash, CancellationToken cancellationToken = default);

    /// <summary>Ends a session; nothing when it does not exist.</summary>
    Task DeleteSessionAsync(byte[] tokenHash, CancellationToken cancellationToken = default);
}
