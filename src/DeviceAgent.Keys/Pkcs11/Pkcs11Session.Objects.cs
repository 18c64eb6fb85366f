using System.Text;
using DeviceAgent.Keys.Pkcs11.Native;

namespace DeviceAgent.Keys.Pkcs11;

// Object search and attribute access.
public sealed unsafe partial class Pkcs11Session
{
    /// <summary>Finds the objects matching the URI's object attributes (label, id, type).</summary>
    /// <exception cref="Pkcs11Exception">The search failed.</exception>
    public IReadOnlyList<Pkcs11ObjectHandle> FindObjects(Pkcs11Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        using var template = new AttributeTemplate();
        if (uri.Type is { } type)
            template.Add(CKA.CKA_CLASS, ClassOf(type));
        if (uri.ObjectLabel is { } label)
            template.Add(CKA.CKA_LABEL, label);
        if (uri.Id is { } id)
            template.Add(CKA.CKA_ID, id.Span);
        return FindObjects(template);
    }

    private List<Pkcs11ObjectHandle> FindObjects(AttributeTemplate template)
    {
        Pkcs11Module.Check(F->C_FindObjectsInit(Handle, template.Native, (nuint)template.Count), "C_FindObjectsInit");
        var found = new List<Pkcs11ObjectHandle>();
        try
        {
            var batch = stackalloc nuint[16];
            while (true)
            {
                nuint count = 0;
                Pkcs11Module.Check(F->C_FindObjects(Handle, batch, 16, &count), "C_FindObjects");
                if (count == 0)
                    break;
                for (var i = 0; i < (int)count; i++)
                    found.Add(new Pkcs11ObjectHandle((ulong)batch[i]));
            }
        }
        finally
        {
            _ = F->C_FindObjectsFinal(Handle);
        }
        return found;
    }

    /// <summary>Finds exactly one object, or explains why not.</summary>
    /// <exception cref="KeyCustodyException"><see cref="KeyCustodyError.KeyNotFound"/> or
    /// <see cref="KeyCustodyError.KeyAmbiguous"/>.</exception>
    public Pkcs11ObjectHandle FindSingle(Pkcs11Uri uri)
    {
        var found = FindObjects(uri);
        var token = Slot.GetTokenInfo().Label;
        return found.Count switch
        {
            1 => found[0],
            0 => throw new KeyCustodyException(KeyCustodyError.KeyNotFound,
                $"no object with {uri.DescribeObject()} on token '{token}'; list the token's objects with " +
                $"'pkcs11-tool --module {Slot.Module.Path} --token-label {token} --login --list-objects' " +
                "or create the key first"),
            _ => throw new KeyCustodyException(KeyCustodyError.KeyAmbiguous,
                $"{found.Count} objects with {uri.DescribeObject()} on token '{token}'; name one with a unique label or id="),
        };
    }

    /// <summary>Reads one attribute; null when the object does not have it.</summary>
    /// <exception cref="Pkcs11Exception">The token refused, e.g. CKR_ATTRIBUTE_SENSITIVE for a secret value.</exception>
    public byte[]? GetAttribute(Pkcs11ObjectHandle handle, ulong type)
    {
        var attribute = new CK_ATTRIBUTE { type = (nuint)type };
        var rv = F->C_GetAttributeValue(Handle, (nuint)handle.Value, &attribute, 1);
        if (rv == CKR.CKR_ATTRIBUTE_TYPE_INVALID)
            return null;
        Pkcs11Module.Check(rv, "C_GetAttributeValue", $"attribute 0x{type:X}");
        if (attribute.ulValueLen == CKA.CK_UNAVAILABLE_INFORMATION)
            return null;
        var value = new byte[attribute.ulValueLen];
        fixed (byte* p = value)
        {
            attribute.pValue = p;
            Pkcs11Module.Check(F->C_GetAttributeValue(Handle, (nuint)handle.Value, &attribute, 1), "C_GetAttributeValue",
                $"attribute 0x{type:X}");
        }
        return value.Length == (int)attribute.ulValueLen ? value : value[..(int)attribute.ulValueLen];
    }

    /// <summary>Reads a CK_BBOOL attribute; null when the object does not have it.</summary>
    /// <exception cref="Pkcs11Exception">The token refused.</exception>
    public bool? GetBoolean(Pkcs11ObjectHandle handle, ulong type) =>
        GetAttribute(handle, type) is { Length: > 0 } v ? v[0] != 0 : null;

    /// <summary>Reads a CK_ULONG attribute; null when the object does not have it.</summary>
    /// <exception cref="Pkcs11Exception">The token refused.</exception>
    public ulong? GetUnsigned(Pkcs11ObjectHandle handle, ulong type) =>
        GetAttribute(handle, type) is { } v && v.Length == sizeof(nuint) ? (ulong)BitConverter.ToUInt64(Widen(v)) : null;

    /// <summary>Reads CKA_LABEL.</summary>
    /// <exception cref="Pkcs11Exception">The token refused.</exception>
    public string? GetLabel(Pkcs11ObjectHandle handle) =>
        GetAttribute(handle, CKA.CKA_LABEL) is { } v ? Encoding.UTF8.GetString(v) : null;

    /// <summary>Tries to change one CK_BBOOL attribute; returns the token's answer.</summary>
    internal nuint TrySetBoolean(Pkcs11ObjectHandle handle, nuint type, bool value)
    {
        using var template = new AttributeTemplate().Add(type, value);
        return F->C_SetAttributeValue(Handle, (nuint)handle.Value, template.Native, 1);
    }

    /// <summary>Asks for a raw attribute and returns the token's answer, without throwing.</summary>
    internal nuint TryGetAttribute(Pkcs11ObjectHandle handle, nuint type, out nuint length)
    {
        var attribute = new CK_ATTRIBUTE { type = type };
        var rv = F->C_GetAttributeValue(Handle, (nuint)handle.Value, &attribute, 1);
        length = attribute.ulValueLen;
        return rv;
    }

    private static byte[] Widen(byte[] v) => v.Length == 8 ? v : [.. v, 0, 0, 0, 0];

    internal static nuint ClassOf(Pkcs11ObjectType type) => type switch
    {
        Pkcs11ObjectType.Public => CKO.CKO_PUBLIC_KEY,
        Pkcs11ObjectType.Private => CKO.CKO_PRIVATE_KEY,
        Pkcs11ObjectType.Certificate => CKO.CKO_CERTIFICATE,
        Pkcs11ObjectType.SecretKey => CKO.CKO_SECRET_KEY,
        _ => CKO.CKO_DATA,
    };
}
