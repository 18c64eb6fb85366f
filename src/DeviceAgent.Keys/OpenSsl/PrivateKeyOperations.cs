namespace DeviceAgent.Keys.OpenSsl;

/// <summary>
/// What the private-key callbacks of one bridged key have done so far: how many operations the
/// backend completed, how many failed, and the last failure (a <see cref="KeyCustodyException"/>
/// that says which key, what the backend said, or that it did not answer in time).
/// </summary>
/// <param name="Succeeded">Private-key operations that returned a signature.</param>
/// <param name="Failed">Operations that threw, timed out or were refused; OpenSSL saw a failed sign.</param>
/// <param name="LastFailure">The most recent failure, or null.</param>
public sealed record PrivateKeyOperations(long Succeeded, long Failed, KeyCustodyException? LastFailure)
{
    /// <summary>All operations attempted.</summary>
    public long Attempted => Succeeded + Failed;
}
