using DeviceAgent.Pki.Registration;

namespace DeviceAgent.Pki.Authority;

/// <summary>
/// Every device certificate a store's CAs issued, by registration id (case-insensitive, as DPS
/// compares them): what tells a duplicate registration id from an interrupted run. Not thread-safe.
/// </summary>
public sealed class RegistrationLedger
{
    private readonly Dictionary<RegistrationId, List<(string Ca, IssuanceRecord Record)>> _byId = [];

    /// <summary>How many registration ids have at least one certificate.</summary>
    public int Count => _byId.Count;

    /// <summary>The certificates issued for <paramref name="id"/>, oldest first, with the CA that issued each.</summary>
    public IReadOnlyList<(string Ca, IssuanceRecord Record)> Find(RegistrationId id) =>
        _byId.TryGetValue(id, out var found) ? found : [];

    /// <summary>Adds the device records of one CA's log.</summary>
    public void Add(string caName, IEnumerable<IssuanceRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        foreach (var record in records)
        {
            if (record.Kind != IssuanceKind.Device || record.RegistrationId is null
                || !RegistrationId.TryParse(record.RegistrationId, out var id, out _))
                continue;
            if (!_byId.TryGetValue(id!, out var list))
                _byId[id!] = list = [];
            list.Add((caName, record));
        }
    }
}
