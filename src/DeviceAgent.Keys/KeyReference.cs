using DeviceAgent.Keys.Pkcs11;

namespace DeviceAgent.Keys;

/// <summary>
/// Where a key lives, as a user writes it in a config file: a PKCS#11 URI (RFC 7512) plus the
/// module path and the PIN's source, or, for development only, a <c>file:</c> URI naming a PEM
/// private key. Immutable.
/// </summary>
public sealed class KeyReference
{
    private KeyReference(string text, string scheme, Pkcs11Uri? pkcs11, string? filePath, string? modulePath, PinSource? pin, uint? tpmHandle = null)
    {
        TpmHandle = tpmHandle;
        Text = text;
        Scheme = scheme;
        Pkcs11 = pkcs11;
        FilePath = filePath;
        ModulePath = modulePath;
        Pin = pin;
    }

    /// <summary>The URI as written.</summary>
    public string Text { get; }

    /// <summary><c>pkcs11</c>, <c>tpm</c> or <c>file</c>.</summary>
    public string Scheme { get; }

    /// <summary>The parsed PKCS#11 URI, for <c>pkcs11:</c> references.</summary>
    public Pkcs11Uri? Pkcs11 { get; }

    /// <summary>The key file, for <c>file:</c> references.</summary>
    public string? FilePath { get; }

    /// <summary>The TPM persistent handle (0x81000000-0x81FFFFFF), for <c>tpm:handle=0x81000101</c> references.</summary>
    public uint? TpmHandle { get; }

    /// <summary>The PKCS#11 module: the one given, else the URI's module-path.</summary>
    public string? ModulePath { get; }

    /// <summary>Where the PIN (or a key file's passphrase) comes from: the one given, else the URI's pin-source.</summary>
    public PinSource? Pin { get; }

    /// <summary>Parses a key reference.</summary>
    /// <param name="uri"><c>pkcs11:token=...;object=...</c> or <c>file:/path/key.pem</c>.</param>
    /// <param name="modulePath">The PKCS#11 module, unless the URI names one with module-path.</param>
    /// <param name="pin">The PIN source (token PIN, or key file passphrase).</param>
    /// <exception cref="KeyCustodyException"><see cref="KeyCustodyError.InvalidKeyReference"/>.</exception>
    public static KeyReference Parse(string uri, string? modulePath = null, PinSource? pin = null)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (uri.StartsWith("pkcs11:", StringComparison.OrdinalIgnoreCase))
        {
            var parsed = Pkcs11Uri.Parse(uri);
            if (parsed.Token is null && parsed.Serial is null && parsed.SlotId is null)
            {
                throw new KeyCustodyException(KeyCustodyError.InvalidKeyReference,
                    $"PKCS#11 URI '{uri}' names no token: add token=LABEL (or serial=, slot-id=)");
            }
            if (parsed.ObjectLabel is null && parsed.Id is null)
            {
                throw new KeyCustodyException(KeyCustodyError.InvalidKeyReference,
                    $"PKCS#11 URI '{uri}' names no key: add object=LABEL (or id=)");
            }
            if (parsed.Type is { } type && type != Pkcs11ObjectType.Private)
            {
                throw new KeyCustodyException(KeyCustodyError.InvalidKeyReference,
                    $"PKCS#11 URI '{uri}' names a {type} object; a key reference names the private key (type=private)");
            }
            var module = modulePath ?? parsed.ModulePath;
            var pinSource = pin ?? (parsed.PinSource is { } source ? PinSource.FromFile(StripFileScheme(source)) : null);
            return new KeyReference(uri, "pkcs11", parsed.WithType(Pkcs11ObjectType.Private), null, module, pinSource);
        }
        if (uri.StartsWith("tpm:", StringComparison.OrdinalIgnoreCase))
            return new KeyReference(uri, "tpm", null, null, null, pin, ParseTpmHandle(uri));
        if (uri.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            var path = StripFileScheme(uri);
            if (path.Length == 0)
                throw new KeyCustodyException(KeyCustodyError.InvalidKeyReference, $"key reference '{uri}' names no file");
            return new KeyReference(uri, "file", null, Path.GetFullPath(path), null, pin);
        }
        throw new KeyCustodyException(KeyCustodyError.InvalidKeyReference,
            $"key reference '{uri}' is neither a PKCS#11 URI (pkcs11:token=...;object=...), a TPM key (tpm:handle=0x81000101) nor a file: URI");
    }

    // tpm:handle=0x81000101 names a persistent object (TPM 2.0 Part 2 7.2, TPM_HT_PERSISTENT = 0x81).
    private static uint ParseTpmHandle(string uri)
    {
        var rest = uri[4..];
        const string prefix = "handle=0x";
        if (rest.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
            && uint.TryParse(rest[prefix.Length..], System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var handle)
            && handle >> 24 == 0x81)
        {
            return handle;
        }
        throw new KeyCustodyException(KeyCustodyError.InvalidKeyReference,
            $"TPM key reference '{uri}' is not tpm:handle=0x81XXXXXX (a persistent handle, for example tpm:handle=0x81000101)");
    }

    /// <inheritdoc />
    public override string ToString() => Text;

    private static string StripFileScheme(string value)
    {
        var path = value;
        if (value.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            var rest = value[5..];
            // file:///abs, file:/abs and file:relative are all accepted (RFC 8089 section 2).
            path = rest.StartsWith("///", StringComparison.Ordinal) ? rest[2..] : rest.StartsWith("//", StringComparison.Ordinal) ? rest[1..] : Uri.UnescapeDataString(rest);
        }
        // No file system path holds a NUL (POSIX: a pathname is a NUL-terminated string); .NET
        // would refuse it later with an ArgumentException that names no setting.
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw new KeyCustodyException(KeyCustodyError.InvalidKeyReference,
                $"'{value.Replace("\0", "\\0", StringComparison.Ordinal)}' names a path with a NUL character; no file can have that name");
        }
        return path;
    }
}
