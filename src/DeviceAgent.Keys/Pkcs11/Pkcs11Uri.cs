using System.Globalization;
using System.Text;

namespace DeviceAgent.Keys.Pkcs11;

/// <summary>
/// A PKCS#11 URI (RFC 7512) naming a token and an object on it, e.g.
/// <c>pkcs11:token=device;object=device-key;type=private</c>. Immutable.
/// </summary>
/// <remarks>
/// A PIN never travels inside a URI here: <c>pin-value</c> is refused (RFC 7512 section 7
/// warns that URIs are logged and shown), <c>pin-source</c> names a file and is honoured.
/// </remarks>
public sealed partial class Pkcs11Uri : IEquatable<Pkcs11Uri>
{
    private const string Scheme = "pkcs11:";

    // RFC 7512 section 2.3: attribute names of the path and of the query.
    private static readonly string[] s_pathAttributes =
    [
        "token", "manufacturer", "serial", "model", "library-manufacturer", "library-description",
        "library-version", "slot-description", "slot-manufacturer", "slot-id", "object", "type", "id",
    ];

    private static readonly string[] s_tokenAttributes = ["token", "serial", "manufacturer", "model", "slot-id", "slot-description"];

    private static readonly string[] s_queryAttributes = ["pin-source", "pin-value", "module-name", "module-path"];

    private readonly Dictionary<string, string> _path;
    private readonly Dictionary<string, string> _query;
    private readonly byte[]? _id;

    private Pkcs11Uri(Dictionary<string, string> path, Dictionary<string, string> query, byte[]? id)
    {
        _path = path;
        _query = query;
        _id = id;
    }

    /// <summary>token: CK_TOKEN_INFO.label.</summary>
    public string? Token => Get(_path, "token");

    /// <summary>manufacturer: CK_TOKEN_INFO.manufacturerID.</summary>
    public string? Manufacturer => Get(_path, "manufacturer");

    /// <summary>serial: CK_TOKEN_INFO.serialNumber.</summary>
    public string? Serial => Get(_path, "serial");

    /// <summary>model: CK_TOKEN_INFO.model.</summary>
    public string? Model => Get(_path, "model");

    /// <summary>slot-id: CK_SLOT_ID, a decimal number.</summary>
    public ulong? SlotId => Get(_path, "slot-id") is { } s ? ulong.Parse(s, CultureInfo.InvariantCulture) : null;

    /// <summary>object: CKA_LABEL.</summary>
    public string? ObjectLabel => Get(_path, "object");

    /// <summary>type: the object class.</summary>
    public Pkcs11ObjectType? Type => Get(_path, "type") is { } t ? ParseType(t) : null;

    /// <summary>id: CKA_ID, raw bytes.</summary>
    public ReadOnlyMemory<byte>? Id
    {
        get
        {
            // Not a conditional expression: there, a null array converts to an empty (non-null) memory.
            if (_id is null)
                return null;
            return _id;
        }
    }

    /// <summary>module-path: the module file named by the URI itself.</summary>
    public string? ModulePath => Get(_query, "module-path");

    /// <summary>pin-source: a file holding the PIN.</summary>
    public string? PinSource => Get(_query, "pin-source");

    /// <summary>Parses a PKCS#11 URI.</summary>
    /// <exception cref="KeyCustodyException"><see cref="KeyCustodyError.InvalidKeyReference"/> naming the part
    /// that is wrong and the rule it breaks.</exception>
    public static Pkcs11Uri Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (string.IsNullOrWhiteSpace(text))
            throw Invalid(text, "it is empty; name a key as pkcs11:token=LABEL;object=LABEL (RFC 7512)");
        if (!text.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
            throw Invalid(text, "it must start with 'pkcs11:'");

        var rest = text[Scheme.Length..];
        var q = rest.IndexOf('?', StringComparison.Ordinal);
        var pathPart = q < 0 ? rest : rest[..q];
        var queryPart = q < 0 ? "" : rest[(q + 1)..];

        var path = ParseAttributes(text, pathPart, ';', s_pathAttributes, isQuery: false);
        var query = ParseAttributes(text, queryPart, '&', s_queryAttributes, isQuery: true);

        if (query.ContainsKey("pin-value"))
        {
            throw Invalid(text, "it carries 'pin-value': a PIN must not be written into a URI (RFC 7512 section 7); " +
                "put the PIN in a file readable only by the agent and name it with the PIN-file setting");
        }
        if (path.TryGetValue("type", out var type) && ParseType(type) is null)
            throw Invalid(text, $"type '{type}' is not one of public, private, cert, secret-key, data (RFC 7512 section 2.3)");
        if (path.TryGetValue("slot-id", out var slotId) && !ulong.TryParse(slotId, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            throw Invalid(text, $"slot-id '{slotId}' is not a decimal number (RFC 7512 section 2.3)");

        byte[]? id = null;
        if (path.ContainsKey("id"))
            id = PercentDecodeBytes(text, RawValue(pathPart, "id"));

        return new Pkcs11Uri(path, query, id);
    }

    /// <summary>Parses a PKCS#11 URI, or returns false with the reason.</summary>
    public static bool TryParse(string text, out Pkcs11Uri? uri, out string? error)
    {
        try
        {
            uri = Parse(text);
            error = null;
            return true;
        }
        catch (KeyCustodyException e)
        {
            uri = null;
            error = e.Message;
            return false;
        }
    }

    /// <summary>A URI naming one private key on one token, by label and optionally id.</summary>
    public static Pkcs11Uri ForPrivateKey(string token, string label, ReadOnlySpan<byte> id = default) =>
        ForObject(token, label, Pkcs11ObjectType.Private, id);

    /// <summary>A URI naming one object on one token.</summary>
    public static Pkcs11Uri ForObject(string token, string? label, Pkcs11ObjectType type, ReadOnlySpan<byte> id = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        var path = new Dictionary<string, string>(StringComparer.Ordinal) { ["token"] = token };
        if (label is not null)
            path["object"] = label;
        path["type"] = TypeName(type);
        byte[]? idBytes = null;
        if (!id.IsEmpty)
        {
            idBytes = id.ToArray();
            path["id"] = Convert.ToHexString(idBytes);
        }
        return new Pkcs11Uri(path, new Dictionary<string, string>(StringComparer.Ordinal), idBytes);
    }

    /// <summary>This URI with another object type (e.g. the public key beside a private key).</summary>
    public Pkcs11Uri WithType(Pkcs11ObjectType type)
    {
        var path = new Dictionary<string, string>(_path, StringComparer.Ordinal) { ["type"] = TypeName(type) };
        return new Pkcs11Uri(path, new Dictionary<string, string>(_query, StringComparer.Ordinal), _id);
    }

    /// <summary>This URI matching objects of every type (the private and the public key of a pair).</summary>
    public Pkcs11Uri WithoutType()
    {
        var path = new Dictionary<string, string>(_path, StringComparer.Ordinal);
        path.Remove("type");
        return new Pkcs11Uri(path, new Dictionary<string, string>(_query, StringComparer.Ordinal), _id);
    }

    /// <summary>This URI without its query (module-path, pin-source).</summary>
    public Pkcs11Uri WithoutQuery() =>
        new(new Dictionary<string, string>(_path, StringComparer.Ordinal), new Dictionary<string, string>(StringComparer.Ordinal), _id);

    internal bool MatchesToken(ulong slotId, Pkcs11SlotInfo slot, Pkcs11TokenInfo token) =>
        Matches("token", token.Label) && Matches("manufacturer", token.Manufacturer) &&
        Matches("serial", token.SerialNumber) && Matches("model", token.Model) &&
        Matches("slot-description", slot.Description) && Matches("slot-manufacturer", slot.Manufacturer) &&
        (SlotId is null || SlotId == slotId);

    /// <summary>A short human description of the token attributes, for messages.</summary>
    public string DescribeToken()
    {
        var parts = s_tokenAttributes
            .Where(_path.ContainsKey).Select(k => $"{k}='{_path[k]}'").ToArray();
        return parts.Length == 0 ? "any token" : string.Join(" ", parts);
    }

    /// <summary>A short human description of the object attributes, for messages.</summary>
    public string DescribeObject()
    {
        var parts = new List<string>();
        if (ObjectLabel is not null) parts.Add($"label '{ObjectLabel}'");
        if (_id is not null) parts.Add($"id {Convert.ToHexString(_id)}");
        if (Type is not null) parts.Add($"type {TypeName(Type.Value)}");
        return parts.Count == 0 ? "any object" : string.Join(", ", parts);
    }

    /// <summary>The canonical text: path attributes in RFC 7512 order, percent-encoded where required.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder(Scheme);
        var first = true;
        foreach (var name in s_pathAttributes)
        {
            if (!_path.TryGetValue(name, out var value))
                continue;
            if (!first) sb.Append(';');
            first = false;
            sb.Append(name).Append('=');
            if (name == "id")
                foreach (var b in _id!) sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            else
                PercentEncode(sb, value, isQuery: false);
        }
        first = true;
        foreach (var name in s_queryAttributes)
        {
            if (!_query.TryGetValue(name, out var value))
                continue;
            sb.Append(first ? '?' : '&');
            first = false;
            sb.Append(name).Append('=');
            PercentEncode(sb, value, isQuery: true);
        }
        return sb.ToString();
    }

    /// <inheritdoc />
    public bool Equals(Pkcs11Uri? other) => other is not null && string.Equals(ToString(), other.ToString(), StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Pkcs11Uri);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToString());

    private bool Matches(string attribute, string actual) =>
        !_path.TryGetValue(attribute, out var expected) || string.Equals(expected, actual, StringComparison.Ordinal);

    private static string? Get(Dictionary<string, string> d, string key) => d.TryGetValue(key, out var v) ? v : null;

    private static Pkcs11ObjectType? ParseType(string value) => value switch
    {
        "public" => Pkcs11ObjectType.Public,
        "private" => Pkcs11ObjectType.Private,
        "cert" => Pkcs11ObjectType.Certificate,
        "secret-key" => Pkcs11ObjectType.SecretKey,
        "data" => Pkcs11ObjectType.Data,
        _ => null,
    };

    private static string TypeName(Pkcs11ObjectType type) => type switch
    {
        Pkcs11ObjectType.Public => "public",
        Pkcs11ObjectType.Private => "private",
        Pkcs11ObjectType.Certificate => "cert",
        Pkcs11ObjectType.SecretKey => "secret-key",
        Pkcs11ObjectType.Data => "data",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    private static KeyCustodyException Invalid(string uri, string reason) =>
        new(KeyCustodyError.InvalidKeyReference, $"invalid PKCS#11 URI '{Redact(uri)}': {reason}");

    // Never echo a pin-value back into a message or a log.
    private static string Redact(string uri)
    {
        var i = uri.IndexOf("pin-value=", StringComparison.OrdinalIgnoreCase);
        if (i < 0)
            return uri;
        var end = uri.IndexOf('&', i);
        return uri[..(i + "pin-value=".Length)] + "***" + (end < 0 ? "" : uri[end..]);
    }
}
