using DeviceAgent.Keys;

namespace DeviceAgent.Pki.Authority;

/// <summary>
/// Where a CA key's passphrase or PIN comes from: a file or an environment variable, never the
/// command line (arguments are visible to every user in /proc). The store records the source,
/// never the secret.
/// </summary>
/// <param name="File">An absolute path of a file holding the secret; or null.</param>
/// <param name="EnvironmentVariable">The name of an environment variable holding the secret; or null.</param>
public sealed record SecretSource(string? File, string? EnvironmentVariable)
{
    /// <summary>The secret is in a file (the path is made absolute).</summary>
    public static SecretSource FromFile(string path) => new(Path.GetFullPath(path), null);

    /// <summary>The secret is in an environment variable.</summary>
    public static SecretSource FromEnvironment(string variable) => new(null, variable);

    /// <summary>The source as the key backends read it.</summary>
    /// <exception cref="InvalidOperationException">Neither a file nor a variable is set.</exception>
    public PinSource ToPinSource() =>
        File is not null ? PinSource.FromFile(File)
        : EnvironmentVariable is not null ? PinSource.FromEnvironment(EnvironmentVariable)
        : throw new InvalidOperationException("a secret source names neither a file nor an environment variable");

    /// <summary>For messages: "file '/etc/ca/root.pass'" or "environment variable ROOT_PASS".</summary>
    public override string ToString() => File is not null ? $"file '{File}'" : $"environment variable {EnvironmentVariable}";
}
