namespace ProvisioningEndpoint.Model;

/// <summary>An operator of the console. Secret: the hash is never rendered or logged.</summary>
/// <param name="Name">The sign-in name.</param>
/// <param name="PasswordHash">The password's Argon2id hash in PHC string format (<c>$argon2id$v=19$m=...,t=...,p=...$salt$hash</c>).</param>
/// <param name="CreatedUtc">When the account was added.</param>
/// <param name="UpdatedUtc">When its password last changed.</param>
public sealed record OperatorAccount(string Name, string PasswordHash, DateTimeOffset CreatedUtc, DateTimeOffset UpdatedUtc)
{
    /// <summary>Redacted: the hash stays out of logs.</summary>
    public override string ToString() => $"OperatorAccount({Name})";
}

/// <summary>A signed-in console session. The store keeps only the SHA-256 of the cookie's token.</summary>
/// <param name="TokenHash">SHA-256 of the session token.</param>
/// <param name="OperatorName">Whose session it is.</param>
/// <param name="CreatedUtc">When the operator signed in.</param>
/// <param name="ExpiresUtc">When the session stops being accepted.</param>
public sealed record OperatorSession(byte[] TokenHash, string OperatorName, DateTimeOffset CreatedUtc, DateTimeOffset ExpiresUtc);
