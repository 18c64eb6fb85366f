namespace DeviceAgent.Pki.Authority;

/// <summary>The outcome of creating (or importing) a CA. Owns the entry: dispose it.</summary>
/// <param name="Entry">The CA as the store now holds it.</param>
/// <param name="AlreadyExisted">True when the same CA was already in the store and nothing was done (a rerun).</param>
/// <param name="Key">The key: its type and whether it was reused; null when nothing was done.</param>
/// <param name="Warnings">What the operator should know (a token key whose custody is not proven, a clamped validity).</param>
public sealed record CaCreation(CaEntry Entry, bool AlreadyExisted, PreparedKey? Key, IReadOnlyList<string> Warnings) : IDisposable
{
    /// <summary>Disposes the entry.</summary>
    public void Dispose() => Entry.Dispose();
}
