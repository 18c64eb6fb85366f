using System.Buffers;
using System.Text;

namespace DeviceAgent.Mqtt.Codec;

/// <summary>
/// UTF-8 encoded strings (section 1.5.3): at most 65,535 bytes, well-formed UTF-8 without
/// surrogate code points [MQTT-1.5.3-1], no U+0000 [MQTT-1.5.3-2], a BOM kept as it is
/// [MQTT-1.5.3-3]. The control characters U+0001-U+001F and U+007F-U+009F and the Unicode
/// non-characters, which the specification says SHOULD NOT appear and a receiver MAY close the
/// connection for, are refused as well (as mosquitto refuses them), in both directions: this
/// side never sends what it would refuse to read.
/// </summary>
internal static class MqttUtf8
{
    public const int MaximumLength = 65_535;

    // IndexOfAnyExceptInRange over chars allocates on .NET 10; a SearchValues does not.
    private static readonly SearchValues<char> s_printableAscii = SearchValues.Create(
        " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    /// <summary>Validates encoded bytes read from the wire.</summary>
    /// <exception cref="MqttProtocolException">The bytes break a rule of section 1.5.3.</exception>
    public static void Validate(ReadOnlySpan<byte> utf8, MqttPacketType type, string field)
    {
        // Fast path: printable ASCII only.
        var i = utf8.IndexOfAnyExceptInRange((byte)0x20, (byte)0x7E);
        if (i < 0)
            return;
        while (i < utf8.Length)
        {
            var status = Rune.DecodeFromUtf8(utf8[i..], out var rune, out var consumed);
            if (status != OperationStatus.Done)
            {
                var surrogate = utf8[i] == 0xED && i + 1 < utf8.Length && utf8[i + 1] >= 0xA0;
                throw new MqttProtocolException(type, field,
                    surrogate ? $"encodes a surrogate code point (byte {i})" : $"is not well-formed UTF-8 (byte {i})", "MQTT-1.5.3-1");
            }
            CheckCodePoint(rune, type, field);
            i += consumed;
        }
    }

    /// <summary>Validates a string this side is about to encode and returns its UTF-8 length.</summary>
    /// <exception cref="MqttProtocolException">The string breaks a rule of section 1.5.3 or is longer than 65,535 bytes.</exception>
    public static int Measure(string value, MqttPacketType type, string field)
    {
        var chars = value.AsSpan();
        var i = chars.IndexOfAnyExcept(s_printableAscii);
        var length = 0;
        if (i < 0)
        {
            length = chars.Length;
        }
        else
        {
            length = i;
            while (i < chars.Length)
            {
                if (Rune.DecodeFromUtf16(chars[i..], out var rune, out var consumed) != OperationStatus.Done)
                    throw new MqttProtocolException(type, field, $"contains an unpaired surrogate (char {i})", "MQTT-1.5.3-1");
                CheckCodePoint(rune, type, field);
                length += rune.Utf8SequenceLength;
                i += consumed;
            }
        }
        if (length > MaximumLength)
            throw new MqttProtocolException(type, field, $"is {length} bytes of UTF-8, more than 65,535", "MQTT-1.5.3");
        return length;
    }

    /// <summary>Decodes bytes already validated by <see cref="Validate"/>.</summary>
    public static string Decode(ReadOnlySpan<byte> utf8) => Encoding.UTF8.GetString(utf8);

    private static void CheckCodePoint(Rune rune, MqttPacketType type, string field)
    {
        var v = rune.Value;
        if (v == 0)
            throw new MqttProtocolException(type, field, "contains U+0000", "MQTT-1.5.3-2");
        if (v < 0x20 || (v >= 0x7F && v <= 0x9F))
            throw new MqttProtocolException(type, field, $"contains the control character U+{v:X4}", "MQTT-1.5.3");
        if ((v >= 0xFDD0 && v <= 0xFDEF) || (v & 0xFFFE) == 0xFFFE)
            throw new MqttProtocolException(type, field, $"contains the non-character U+{v:X4}", "MQTT-1.5.3");
    }
}
