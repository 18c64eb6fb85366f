using DeviceAgent.Mqtt.Codec;

namespace DeviceAgent.Mqtt.Packets;

/// <summary>
/// CONNECT (section 3.1): the first packet a client sends. Decoding checks every rule of
/// sections 3.1.2-3.1.3; a protocol level other than 4 [MQTT-3.1.2-2] and an empty client
/// identifier without clean session [MQTT-3.1.3-8] carry the CONNACK code the server answers with
/// (<see cref="MqttProtocolException.ConnectReturnCode"/>).
/// </summary>
public sealed class MqttConnectPacket : MqttPacket
{
    private const string Mqtt = "MQTT";

    /// <summary>Creates a CONNECT for <paramref name="clientId"/> (may be empty with clean session).</summary>
    public MqttConnectPacket(string clientId) => ClientId = clientId ?? throw new ArgumentNullException(nameof(clientId));

    /// <inheritdoc/>
    public override MqttPacketType Type => MqttPacketType.Connect;

    /// <summary>The client identifier [MQTT-3.1.3-3].</summary>
    public string ClientId { get; }

    /// <summary>Whether the server discards any previous session and starts a new one (default true).</summary>
    public bool CleanSession { get; init; } = true;

    /// <summary>Keep-alive in seconds; 0 turns the mechanism off.</summary>
    public ushort KeepAliveSeconds { get; init; }

    /// <summary>The user name, or null when the user name flag is clear.</summary>
    public string? UserName { get; init; }

    /// <summary>The password (binary), or null when the password flag is clear; requires <see cref="UserName"/> [MQTT-3.1.2-22].</summary>
    public ReadOnlyMemory<byte>? Password { get; init; }

    /// <summary>The Will message, or null.</summary>
    public MqttWill? Will { get; init; }

    internal override int MeasureBody()
    {
        var length = 2 + Mqtt.Length + 1 + 1 + 2;
        length += 2 + MqttUtf8.Measure(ClientId, Type, "client identifier");
        if (ClientId.Length == 0 && !CleanSession)
            throw new MqttProtocolException(Type, "client identifier", "is empty without clean session", "MQTT-3.1.3-7");
        if (Will is { } will)
        {
            if (will.QualityOfService > MqttQualityOfService.ExactlyOnce)
                throw new MqttProtocolException(Type, "will QoS", "is 3", "MQTT-3.1.2-14");
            length += 2 + MqttUtf8.Measure(will.Topic, Type, "will topic");
            MqttTopic.ValidateName(will.Topic, Type, "will topic");
            length += 2 + CheckBinary(will.Payload.Length, "will message");
        }
        if (UserName is not null)
            length += 2 + MqttUtf8.Measure(UserName, Type, "user name");
        if (Password is { } password)
        {
            if (UserName is null)
                throw new MqttProtocolException(Type, "password", "password flag set without the user name flag", "MQTT-3.1.2-22");
            length += 2 + CheckBinary(password.Length, "password");
        }
        return length;
    }

    internal override void WriteBody(ref MqttBodyWriter writer)
    {
        writer.WriteString(Mqtt);
        writer.WriteByte(4);
        var flags = CleanSession ? 0x02 : 0;
        if (Will is { } will)
            flags |= 0x04 | ((int)will.QualityOfService << 3) | (will.Retain ? 0x20 : 0);
        if (Password is not null)
            flags |= 0x40;
        if (UserName is not null)
            flags |= 0x80;
        writer.WriteByte((byte)flags);
        writer.WriteUInt16(KeepAliveSeconds);
        writer.WriteString(ClientId);
        if (Will is not null)
        {
            writer.WriteString(Will.Topic);
            writer.WriteBinary(Will.Payload.Span);
        }
        if (UserName is not null)
            writer.WriteString(UserName);
        if (Password is { } password)
            writer.WriteBinary(password.Span);
    }

    internal static MqttConnectPacket Decode(ReadOnlySpan<byte> body)
    {
        const MqttPacketType type = MqttPacketType.Connect;
        var reader = new MqttBodyReader(body, type);
        var name = reader.ReadBinary("protocol name");
        if (!name.SequenceEqual("MQTT"u8))
        {
            // An MQTT 3.1 client ("MQIsdp") is told which version we speak rather than cut off.
            if (name.SequenceEqual("MQIsdp"u8))
                throw new MqttProtocolException(type, "protocol name", "is MQIsdp (MQTT 3.1), only MQTT 3.1.1 is served", "MQTT-3.1.2-2", MqttConnectReturnCode.UnacceptableProtocolVersion);
            throw reader.Malformed("protocol name", "is not \"MQTT\"", "MQTT-3.1.2-1");
        }
        var level = reader.ReadByte("protocol level");
        if (level != 4)
            throw new MqttProtocolException(type, "protocol level", $"is {level}, not 4 (MQTT 3.1.1)", "MQTT-3.1.2-2", MqttConnectReturnCode.UnacceptableProtocolVersion);
        var flags = reader.ReadByte("connect flags");
        if ((flags & 0x01) != 0)
            throw reader.Malformed("connect flags", "reserved bit 0 is set", "MQTT-3.1.2-3");
        var hasWill = (flags & 0x04) != 0;
        var willQos = (flags >> 3) & 0x03;
        var willRetain = (flags & 0x20) != 0;
        var hasPassword = (flags & 0x40) != 0;
        var hasUserName = (flags & 0x80) != 0;
        if (!hasWill && willQos != 0)
            throw reader.Malformed("connect flags", "will QoS is set without the will flag", "MQTT-3.1.2-13");
        if (!hasWill && willRetain)
            throw reader.Malformed("connect flags", "will retain is set without the will flag", "MQTT-3.1.2-15");
        if (willQos == 3)
            throw reader.Malformed("connect flags", "will QoS is 3", "MQTT-3.1.2-14");
        if (hasPassword && !hasUserName)
            throw reader.Malformed("connect flags", "password flag set without the user name flag", "MQTT-3.1.2-22");
        var keepAlive = reader.ReadUInt16("keep alive");
        if (reader.Remaining < 2)
            throw reader.Malformed("client identifier", "is missing", "MQTT-3.1.3-3");
        var clientId = reader.ReadString("client identifier");
        var cleanSession = (flags & 0x02) != 0;
        if (clientId.Length == 0 && !cleanSession)
            throw new MqttProtocolException(type, "client identifier", "is empty without clean session", "MQTT-3.1.3-8", MqttConnectReturnCode.IdentifierRejected);
        MqttWill? will = null;
        if (hasWill)
        {
            if (reader.Remaining < 2)
                throw reader.Malformed("will topic", "is missing although the will flag is set", "MQTT-3.1.2-9");
            var willTopic = reader.ReadUtf8("will topic");
            MqttTopic.ValidateName(willTopic, type, "will topic");
            if (reader.Remaining < 2)
                throw reader.Malformed("will message", "is missing although the will flag is set", "MQTT-3.1.2-9");
            var willMessage = reader.ReadBinary("will message").ToArray();
            will = new MqttWill(MqttUtf8.Decode(willTopic), willMessage, (MqttQualityOfService)willQos, willRetain);
        }
        string? userName = null;
        if (hasUserName)
        {
            if (reader.Remaining < 2)
                throw reader.Malformed("user name", "is missing although the user name flag is set", "MQTT-3.1.2-19");
            userName = reader.ReadString("user name");
        }
        else if (!reader.End)
        {
            throw reader.Malformed("user name", "is present although the user name flag is clear", "MQTT-3.1.2-18");
        }
        ReadOnlyMemory<byte>? password = null;
        if (hasPassword)
        {
            if (reader.Remaining < 2)
                throw reader.Malformed("password", "is missing although the password flag is set", "MQTT-3.1.2-21");
            password = reader.ReadBinary("password").ToArray();
        }
        else if (!reader.End)
        {
            throw reader.Malformed("password", "is present although the password flag is clear", "MQTT-3.1.2-20");
        }
        reader.ExpectEnd("payload", "MQTT-2.2.3");
        return new MqttConnectPacket(clientId)
        {
            CleanSession = cleanSession,
            KeepAliveSeconds = keepAlive,
            UserName = userName,
            Password = password,
            Will = will,
        };
    }

    private int CheckBinary(int length, string field) => length <= ushort.MaxValue ? length
        : throw new MqttProtocolException(Type, field, $"is {length} bytes, more than 65,535", "MQTT-1.5.3");

    /// <inheritdoc/>
    public override string ToString() => $"CONNECT client={ClientId} clean={CleanSession} keepAlive={KeepAliveSeconds}s";
}
