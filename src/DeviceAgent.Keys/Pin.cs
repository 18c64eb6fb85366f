using System.Security.Cryptography;
using System.Text;

namespace DeviceAgent.Keys;

/// <summary>
/// A token PIN or key passphrase held in memory for as short a time as possible: its bytes are
/// zeroed on disposal and it never renders itself into text (logs, exceptions, debuggers).
/// </summary>
public sealed class Pin : IDisposable
{
    private byte[] _utf8;

    private Pin(byte[] utf8) => _utf8 = utf8;

    /// <summary>Wraps the UTF-8 bytes of a PIN; the caller gives up ownership of the array.</summary>
    /// <exception cref="ArgumentException">The PIN is empty.</exception>
    public static Pin FromUtf8(byte[] utf8)
    {
        ArgumentNullException.ThrowIfNull(utf8);
        if (utf8.Length == 0)
            throw new ArgumentException("the PIN is empty", nameof(utf8));
        return new Pin(utf8);
    }

    /// <summary>Wraps a PIN given as text (tests, interactive tools).</summary>
    /// <exception cref="ArgumentException">The PIN is empty.</exception>
    public static Pin FromString(string pin) => FromUtf8(Encoding.UTF8.GetBytes(pin ?? ""));

    /// <summary>The PIN's UTF-8 bytes.</summary>
    /// <exception cref="ObjectDisposedException">The PIN was disposed.</exception>
    public ReadOnlySpan<byte> Utf8
    {
        get
        {
            ObjectDisposedException.ThrowIf(_utf8.Length == 0, this);
            return _utf8;
        }
    }

    /// <summary>The PIN as text, for APIs that only take text (passphrases).</summary>
    internal string Reveal() => Encoding.UTF8.GetString(Utf8);

    /// <inheritdoc />
    public override string ToString() => "[PIN redacted]";

    /// <summary>Zeroes the PIN's bytes.</summary>
    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_utf8);
        _utf8 = [];
    }
}
