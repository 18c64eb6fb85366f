namespace DeviceAgent.Mqtt.Codec;

/// <summary>The fixed header's Remaining Length: a variable byte integer of 1 to 4 bytes (section 2.2.3).</summary>
internal static class MqttRemainingLength
{
    /// <summary>The largest value four bytes can carry: 268,435,455 (256 MB).</summary>
    public const int Maximum = 268_435_455;

    /// <summary>Bytes needed to encode <paramref name="value"/>.</summary>
    public static int SizeOf(int value) => value switch
    {
        < 128 => 1,
        < 16_384 => 2,
        < 2_097_152 => 3,
        _ => 4,
    };

    /// <summary>Writes <paramref name="value"/> (0..<see cref="Maximum"/>) and returns the bytes written.</summary>
    public static int Write(Span<byte> destination, int value)
    {
        var i = 0;
        do
        {
            var digit = (byte)(value % 128);
            value /= 128;
            if (value > 0)
                digit |= 0x80;
            destination[i++] = digit;
        }
        while (value > 0);
        return i;
    }

    /// <summary>
    /// Reads the value that starts at <paramref name="source"/>[0]. Returns false when the bytes end
    /// before the last digit; a fifth digit is malformed. Never looks further than 4 bytes.
    /// </summary>
    /// <exception cref="MqttProtocolException">The encoding is longer than 4 bytes.</exception>
    public static bool TryRead(ReadOnlySpan<byte> source, MqttPacketType type, out int value, out int size)
    {
        value = 0;
        var multiplier = 1;
        for (size = 0; size < 4; size++)
        {
            if (size >= source.Length)
                return false;
            var digit = source[size];
            value += (digit & 0x7F) * multiplier;
            multiplier *= 128;
            if ((digit & 0x80) == 0)
            {
                size++;
                return true;
            }
        }
        throw new MqttProtocolException(type, "remaining length", "longer than 4 bytes (more than 268,435,455)", "MQTT-2.2.3");
    }
}
