using DeviceAgent.Keys.Pkcs11;

namespace DeviceAgent.Pki.Authority;

/// <summary>A key made ready to certify: its type, whether it was there before, and its custody evidence.</summary>
/// <param name="Description">The key's type, e.g. "EC P-256".</param>
/// <param name="Existed">True when the key was already there and was reused (a rerun, or a key made by a key ceremony).</param>
/// <param name="Custody">The token's custody attributes; null for a file key.</param>
public sealed record PreparedKey(string Description, bool Existed, KeyCustodyAttributes? Custody);
