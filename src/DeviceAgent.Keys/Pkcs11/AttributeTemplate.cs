using System.Runtime.InteropServices;
using System.Text;
using DeviceAgent.Keys.Pkcs11.Native;

namespace DeviceAgent.Keys.Pkcs11;

/// <summary>
/// A CK_ATTRIBUTE array in native memory for the duration of one call. Not thread-safe;
/// dispose after the call (values are zeroed before they are freed).
/// </summary>
internal sealed unsafe class AttributeTemplate : IDisposable
{
    private readonly List<(nuint Type, byte[] Value)> _attributes = [];
    private CK_ATTRIBUTE* _native;
    private int _count;

    public AttributeTemplate Add(nuint type, bool value) => Add(type, [value ? (byte)1 : (byte)0]);

    public AttributeTemplate Add(nuint type, nuint value)
    {
        var bytes = new byte[sizeof(nuint)];
        MemoryMarshal.Write(bytes, in value);
        return Add(type, bytes);
    }

    public AttributeTemplate Add(nuint type, string value) => Add(type, Encoding.UTF8.GetBytes(value));

    public AttributeTemplate Add(nuint type, ReadOnlySpan<byte> value)
    {
        ObjectDisposedException.ThrowIf(_native is not null, this);
        _attributes.Add((type, value.ToArray()));
        return this;
    }

    public int Count => _attributes.Count;

    /// <summary>Pins the template in native memory; valid until disposed.</summary>
    public CK_ATTRIBUTE* Native
    {
        get
        {
            if (_native is not null)
                return _native;
            _count = _attributes.Count;
            _native = (CK_ATTRIBUTE*)NativeMemory.AllocZeroed((nuint)Math.Max(1, _count), (nuint)sizeof(CK_ATTRIBUTE));
            for (var i = 0; i < _count; i++)
            {
                var (type, value) = _attributes[i];
                var buffer = NativeMemory.Alloc((nuint)Math.Max(1, value.Length));
                value.CopyTo(new Span<byte>(buffer, value.Length));
                _native[i] = new CK_ATTRIBUTE { type = type, pValue = buffer, ulValueLen = (nuint)value.Length };
            }
            return _native;
        }
    }

    public void Dispose()
    {
        if (_native is null)
            return;
        for (var i = 0; i < _count; i++)
        {
            var a = _native[i];
            NativeMemory.Clear(a.pValue, a.ulValueLen);
            NativeMemory.Free(a.pValue);
        }
        NativeMemory.Free(_native);
        _native = null;
    }
}
