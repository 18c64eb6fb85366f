namespace DeviceAgent.Mqtt;

/// <summary>
/// Topic names and topic filters (section 4.7): validation and matching. Names carry no
/// wildcards [MQTT-3.3.2-2]; in filters <c>#</c> is alone or last after a <c>/</c>
/// [MQTT-4.7.1-2] and <c>+</c> fills a whole level [MQTT-4.7.1-3]; neither may be empty
/// [MQTT-4.7.3-1]. Thread-safe (stateless).
/// </summary>
public static class MqttTopic
{
    /// <summary>Whether <paramref name="topicName"/> may be published to.</summary>
    public static bool IsValidTopicName(string topicName)
    {
        ArgumentNullException.ThrowIfNull(topicName);
        return TryGetNameError(topicName.AsSpan(), out _, out _) && TryMeasure(topicName, MqttPacketType.Publish);
    }

    /// <summary>Whether <paramref name="topicFilter"/> may be subscribed to.</summary>
    public static bool IsValidTopicFilter(string topicFilter)
    {
        ArgumentNullException.ThrowIfNull(topicFilter);
        return TryGetFilterError(topicFilter, out _, out _) && TryMeasure(topicFilter, MqttPacketType.Subscribe);
    }

    /// <summary>
    /// Whether a topic name matches a topic filter (section 4.7). A filter that starts with a
    /// wildcard does not match a name that starts with <c>$</c> [MQTT-4.7.2-1];
    /// <c>a/#</c> matches <c>a</c> too. Both arguments are assumed valid.
    /// </summary>
    public static bool Matches(string topicFilter, string topicName)
    {
        ArgumentNullException.ThrowIfNull(topicFilter);
        ArgumentNullException.ThrowIfNull(topicName);
        var filter = topicFilter.AsSpan();
        var name = topicName.AsSpan();
        if (name.Length > 0 && name[0] == '$' && filter.Length > 0 && (filter[0] == '+' || filter[0] == '#'))
            return false;
        while (true)
        {
            var filterLevel = NextLevel(ref filter, out var filterMore);
            if (filterLevel is "#")
                return true;
            var nameLevel = NextLevel(ref name, out var nameMore);
            if (filterLevel is not "+" && !filterLevel.SequenceEqual(nameLevel))
                return false;
            if (!filterMore || !nameMore)
            {
                // "a/#" matches "a": the parent level of a multi-level wildcard.
                return filterMore == nameMore || (filterMore && filter is "#");
            }
        }
    }

    /// <exception cref="MqttProtocolException">Not a valid topic name.</exception>
    internal static void ValidateName(ReadOnlySpan<char> name, MqttPacketType type, string field)
    {
        if (!TryGetNameError(name, out var reason, out var rule))
            throw new MqttProtocolException(type, field, reason, rule);
    }

    /// <exception cref="MqttProtocolException">Not a valid topic name (bytes already UTF-8-valid).</exception>
    internal static void ValidateName(ReadOnlySpan<byte> utf8, MqttPacketType type, string field)
    {
        if (utf8.IsEmpty)
            throw new MqttProtocolException(type, field, "is empty", "MQTT-4.7.3-1");
        if (utf8.IndexOfAny((byte)'+', (byte)'#') >= 0)
            throw new MqttProtocolException(type, field, "contains a wildcard (+ or #)", "MQTT-3.3.2-2");
    }

    /// <exception cref="MqttProtocolException">Not a valid topic filter.</exception>
    internal static void ValidateFilter(string filter, MqttPacketType type, string field)
    {
        if (!TryGetFilterError(filter, out var reason, out var rule))
            throw new MqttProtocolException(type, field, reason, rule);
    }

    private static bool TryGetNameError(ReadOnlySpan<char> name, out string reason, out string rule)
    {
        (reason, rule) = name.IsEmpty ? ("is empty", "MQTT-4.7.3-1")
            : name.IndexOfAny('+', '#') >= 0 ? ("contains a wildcard (+ or #)", "MQTT-3.3.2-2")
            : (string.Empty, string.Empty);
        return reason.Length == 0;
    }

    private static bool TryGetFilterError(string filter, out string reason, out string rule)
    {
        (reason, rule) = (string.Empty, string.Empty);
        if (filter.Length == 0)
        {
            (reason, rule) = ("is empty", "MQTT-4.7.3-1");
            return false;
        }
        for (var i = 0; i < filter.Length; i++)
        {
            var c = filter[i];
            var levelStart = i == 0 || filter[i - 1] == '/';
            var levelEnd = i == filter.Length - 1 || filter[i + 1] == '/';
            if (c == '#' && (!levelStart || i != filter.Length - 1))
            {
                (reason, rule) = ($"has '#' at {i} that is not the last level", "MQTT-4.7.1-2");
                return false;
            }
            if (c == '+' && (!levelStart || !levelEnd))
            {
                (reason, rule) = ($"has '+' at {i} that does not fill a whole level", "MQTT-4.7.1-3");
                return false;
            }
        }
        return true;
    }

    private static bool TryMeasure(string value, MqttPacketType type)
    {
        try
        {
            Codec.MqttUtf8.Measure(value, type, "topic");
            return true;
        }
        catch (MqttProtocolException)
        {
            return false;
        }
    }

    private static ReadOnlySpan<char> NextLevel(ref ReadOnlySpan<char> rest, out bool more)
    {
        var slash = rest.IndexOf('/');
        more = slash >= 0;
        var level = more ? rest[..slash] : rest;
        rest = more ? rest[(slash + 1)..] : [];
        return level;
    }
}
