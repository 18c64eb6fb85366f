using System.Text;
using DeviceAgent.Mqtt.Packets;

namespace DeviceAgent.Mqtt.Tests.Support;

/// <summary>Random valid packets of all 14 types (for property and mutation tests).</summary>
internal static class RandomPackets
{
    private static readonly string[] s_levels = ["a", "b", "devices", "dev-1", "messages", "events", "$dps", "registrations", "res", "ü", "日本", "\U0001F600", "x y", "?$rid=1"];

    public static MqttPacket Next(Random random) => random.Next(14) switch
    {
        0 => new MqttConnectPacket(random.Next(5) == 0 ? "" : Level(random))
        {
            CleanSession = true,
            KeepAliveSeconds = (ushort)random.Next(65536),
            UserName = random.Next(2) == 0 ? null : Topic(random),
            Password = random.Next(3) == 0 ? null : Bytes(random, 20),
            Will = random.Next(2) == 0 ? null : new MqttWill(Topic(random), Bytes(random, 30), Qos(random), random.Next(2) == 0),
        } is var c && c.Password is not null && c.UserName is null ? new MqttConnectPacket("p") : c,
        1 => new MqttConnAckPacket((MqttConnectReturnCode)random.Next(6)) is var a && a.ReturnCode == 0 ? new MqttConnAckPacket(0, random.Next(2) == 0) : a,
        2 => Publish(random),
        3 => new MqttPubAckPacket(Id(random)),
        4 => new MqttPubRecPacket(Id(random)),
        5 => new MqttPubRelPacket(Id(random)),
        6 => new MqttPubCompPacket(Id(random)),
        7 => new MqttSubscribePacket(Id(random), Enumerable.Range(0, 1 + random.Next(4)).Select(_ => new MqttTopicFilter(Filter(random), Qos(random)))),
        8 => new MqttSubAckPacket(Id(random), Enumerable.Range(0, 1 + random.Next(4)).Select(_ => random.Next(4) switch { 3 => MqttSubscribeReturnCode.Failure, var q => (MqttSubscribeReturnCode)q })),
        9 => new MqttUnsubscribePacket(Id(random), Enumerable.Range(0, 1 + random.Next(4)).Select(_ => Filter(random))),
        10 => new MqttUnsubAckPacket(Id(random)),
        11 => MqttPingReqPacket.Instance,
        12 => MqttPingRespPacket.Instance,
        _ => MqttDisconnectPacket.Instance,
    };

    public static MqttPublishPacket Publish(Random random)
    {
        var qos = Qos(random);
        return new MqttPublishPacket(Topic(random), Bytes(random, random.Next(10) == 0 ? 3000 : 40))
        {
            QualityOfService = qos,
            PacketId = qos == MqttQualityOfService.AtMostOnce ? (ushort)0 : Id(random),
            Retain = random.Next(2) == 0,
            Duplicate = qos != MqttQualityOfService.AtMostOnce && random.Next(2) == 0,
        };
    }

    private static ushort Id(Random random) => (ushort)random.Next(1, 65536);

    private static MqttQualityOfService Qos(Random random) => (MqttQualityOfService)random.Next(3);

    private static string Level(Random random) => s_levels[random.Next(s_levels.Length)];

    private static string Topic(Random random)
    {
        var builder = new StringBuilder(Level(random));
        for (var n = random.Next(5); n > 0; n--)
            builder.Append('/').Append(random.Next(8) == 0 ? "" : Level(random));
        return builder.ToString();
    }

    private static string Filter(Random random)
    {
        var levels = Topic(random).Split('/');
        for (var i = 0; i < levels.Length; i++)
        {
            if (random.Next(4) == 0)
                levels[i] = "+";
        }
        var filter = string.Join('/', levels);
        return random.Next(4) == 0 ? filter + "/#" : random.Next(10) == 0 ? "#" : filter;
    }

    private static byte[] Bytes(Random random, int max)
    {
        var bytes = new byte[random.Next(max + 1)];
        random.NextBytes(bytes);
        return bytes;
    }
}
