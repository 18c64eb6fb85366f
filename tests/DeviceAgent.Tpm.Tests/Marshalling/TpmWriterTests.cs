using DeviceAgent.Tpm.Marshalling;

namespace DeviceAgent.Tpm.Tests.Marshalling;

public sealed class TpmWriterTests
{
    [Fact]
    public void Writes_big_endian_integers_and_sized_buffers()
    {
        var writer = new TpmWriter(1)
            .WriteUInt8(0x01).WriteUInt16(0x0203).WriteUInt32(0x04050607).WriteUInt64(0x08090A0B0C0D0E0F)
            .WriteTpm2b([0xAA, 0xBB]);
        Assert.Equal("0102030405060708090A0B0C0D0E0F0002AABB", Convert.ToHexString(writer.ToArray()));
    }

    [Fact]
    public void Sized_structure_gets_the_size_of_what_its_body_wrote()
    {
        var writer = new TpmWriter().WriteSized(w => w.WriteUInt32(0xDEADBEEF).WriteUInt8(7));
        Assert.Equal("0005DEADBEEF07", Convert.ToHexString(writer.ToArray()));
    }

    [Fact]
    public void Tpm2b_larger_than_a_uint16_is_refused()
    {
        var error = Assert.Throws<TpmFormatException>(() => new TpmWriter().WriteTpm2b(new byte[65536]));
        Assert.Contains("Part 2 10.4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Patch_overwrites_a_command_size()
    {
        var writer = new TpmWriter().WriteUInt16(0x8001).WriteUInt32(0).WriteUInt32(0x144);
        writer.PatchUInt32(2, (uint)writer.Length);
        Assert.Equal("80010000000A00000144", Convert.ToHexString(writer.ToArray()));
    }
}
