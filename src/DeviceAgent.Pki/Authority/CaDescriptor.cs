namespace DeviceAgent.Pki.Authority;

/// <summary>
/// <c>ca.json</c>: what a CA directory holds beside its certificate. Written once when the CA is
/// created or imported.
/// </summary>
/// <param name="Format">The file format's version (1).</param>
/// <param name="Name">The CA's name in the store (its directory's name).</param>
/// <param name="Issuer">The name of the CA in the store that issued this one; null for a root or an imported CA whose issuer is not in the store.</param>
/// <param name="Key">Where the private key lives.</param>
/// <param name="Created">When the CA was created or imported.</param>
/// <param name="Origin"><c>created</c> or <c>imported</c>.</param>
internal sealed record CaDescriptor(int Format, string Name, string? Issuer, CaKeyLocation Key, DateTimeOffset Created, string Origin)
{
    public const int CurrentFormat = 1;
}
