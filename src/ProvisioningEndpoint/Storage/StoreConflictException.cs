namespace ProvisioningEndpoint.Storage;

/// <summary>A write lost against the current state: its etag is stale, or it would break a uniqueness rule.</summary>
public sealed class StoreConflictException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StoreConflictException() : base("the entity changed since it was read") { }

    /// <summary>Creates the exception.</summary>
    public StoreConflictException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public StoreConflictException(string message, Exception innerException) : base(message, innerException) { }
}
