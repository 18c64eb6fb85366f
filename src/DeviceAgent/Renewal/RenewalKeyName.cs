using System.Globalization;
using System.Text.RegularExpressions;
using DeviceAgent.Keys;

namespace DeviceAgent.Renewal;

/// <summary>
/// The reference of the key a renewal generates: a new object next to the current one, never the
/// current one itself, so the old identity keeps working until the new one is committed. The
/// label gains a generation suffix, <c>device-1</c> -> <c>device-1.r2</c> -> <c>device-1.r3</c>
/// (a PKCS#11 <c>object=</c> label, or a key file's name); a PKCS#11 <c>id=</c> is dropped, so that
/// the token gives the new object its own. Every backend that creates keys
/// (<see cref="IKeyGenerator"/>, or a PKCS#11 token) serves it the same way.
/// </summary>
public static partial class RenewalKeyName
{
    /// <summary>The reference of generation <paramref name="generation"/> (2 for the first renewal) after <paramref name="current"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="generation"/> is below 2.</exception>
    /// <exception cref="KeyCustodyException">The current reference names no label (<c>object=</c>) to derive from.</exception>
    public static KeyReference Next(KeyReference current, int generation)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentOutOfRangeException.ThrowIfLessThan(generation, 2);
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
