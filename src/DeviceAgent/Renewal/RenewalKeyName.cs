using System.Globalization;
using System.Text.RegularExpressions;
using DeviceAgent.Keys;

namespace DeviceAgent.Renewal;

/// <summary>
/// The reference of the key a renewal generates: a new object next to the current one, never the
/// current one itself, so the old identity keeps working until the new one is committed. The
/// label gains a generation suffix, <c>device-1</c> -> <c>device-1.r2</c> -> <c>device-1.r3</c>
/// (a PKCS#11 <c>object=</c> label, or a key file's name); a PKCS#11 <c>id=</c> is dropped, so that
/// the token gives the new object its own. A TPM key (<c>tpm:handle=</c>) alternates between two
/// persistent handles beside the onboarding key's, +0x100 for even generations and +0x200 for odd
/// ones (<c>0x81000101</c> -> <c>0x81000201</c> -> <c>0x81000301</c> -> <c>0x81000201</c>), so that
/// renewals never use up the TPM's persistent storage nor touch the onboarding key. Every backend that creates keys
/// (<see cref="IKeyGenerator"/>, or a PKCS#11 token) serves it the same way.
/// </summary>
public static partial class RenewalKeyName
{
    /// <summary>The reference of generation <paramref name="generation"/> (2 for the first renewal) derived from <paramref name="current"/> (for a TPM key: the onboarding key, identity.key).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="generation"/> is below 2.</exception>
    /// <exception cref="KeyCustodyException">The current reference names no label (<c>object=</c>) to derive from.</exception>
    public static KeyReference Next(KeyReference current, int generation)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentOutOfRangeException.ThrowIfLessThan(generation, 2);
        if (current.TpmHandle is { } handle)
        {
            var renewed = handle + (generation % 2 == 0 ? 0x100u : 0x200u);
            if (renewed >> 24 != 0x81) // TPM 2.0 Part 2 7.2: TPM_HT_PERSISTENT
                throw new KeyCustodyException(KeyCustodyError.InvalidKeyReference, $"'{current}' is too close to the end of the persistent handle range for its renewed keys (+0x100, +0x200); choose a lower handle");
            return KeyReference.Parse(string.Create(CultureInfo.InvariantCulture, $"tpm:handle=0x{renewed:X8}"), current.ModulePath, current.Pin);
        }
        var suffix = "." + "r" + generation.ToString(CultureInfo.InvariantCulture);
        if (current.Scheme == "file")
            return KeyReference.Parse("file:" + Generation().Replace(current.FilePath!, "") + suffix, current.ModulePath, current.Pin);
        var text = current.Text;
        var query = text.IndexOf('?', StringComparison.Ordinal);
        var path = query < 0 ? text["pkcs11:".Length..] : text["pkcs11:".Length..query];
        var attributes = path.Split(';', StringSplitOptions.RemoveEmptyEntries).Where(a => !a.StartsWith("id=", StringComparison.Ordinal)).ToList();
        var label = attributes.FindIndex(a => a.StartsWith("object=", StringComparison.Ordinal));
        if (label < 0)
            throw new KeyCustodyException(KeyCustodyError.InvalidKeyReference, $"'{current}' names no label (object=), so a renewal cannot name its new key next to it");
        attributes[label] = "object=" + Generation().Replace(attributes[label]["object=".Length..], "") + suffix;
        return KeyReference.Parse("pkcs11:" + string.Join(';', attributes) + (query < 0 ? "" : text[query..]), current.ModulePath, current.Pin);
    }

    [GeneratedRegex(@"\.r[0-9]+$")]
    private static partial Regex Generation();
}
