using DeviceAgent.Tpm.Marshalling;

namespace DeviceAgent.Tpm.Tests.Marshalling;

public sealed class TpmReaderTests
{
    [Theory]
    [InlineData("01", 1, 0x01ul)]
    [InlineData("0102", 2, 0x0102ul)]
    [InlineData("01020304", 4, 0x01020304ul)]
    [InlineData("0102030405060708", 8, 0x0102030405060708ul)]
    public void Integers_are_big_endian(string hex, int width, ulong expected)
    {
        var reader = new TpmReader(Convert.FromHexString(hex));
        ulong value = width switch
        {
            1 => reader.ReadUInt8(),
            2 => reader.ReadUInt16(),
            4 => reader.ReadUInt32(),
            _ => reader.ReadUInt64(),
        };
        Assert.Equal(expected, value);
        reader.ExpectEnd();
    }

    [Theory]
    [InlineData("0000", "")]
    [InlineData("0003AABBCC", "AABBCC")]
    public void Tpm2b_reads_its_size_then_the_bytes(string hex, string expected)
    {
        var reader = new TpmReader(Convert.FromHexString(hex));
        Assert.Equal(expected, Convert.ToHexString(reader.ReadTpm2b()));
        reader.ExpectEnd();
    }

    [Theory]
    [InlineData("", "no size at all")]
    [InlineData("00", "half a size")]
    [InlineData("0003AABB", "size larger than the data")]
    [InlineData("FFFF", "maximal size, no data")]
    public void Truncated_tpm2b_fails_and_consumes_nothing(string hex, string description)
    {
        var reader = new TpmReader(Convert.FromHexString(hex), "test buffer");
        var error = Assert.Throws<TpmFormatException>(() => reader.ReadTpm2b("TPM2B_TEST"));
        Assert.Equal(0, reader.Position);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
        Assert.Contains("test buffer", error.Message, StringComparison.Ordinal);
        Assert.NotEmpty(description);
    }

    [Fact]
    public void Trailing_bytes_are_reported_with_their_offset()
    {
        var reader = new TpmReader(Convert.FromHexString("000100"), "TPM2B_PUBLIC");
        reader.ReadUInt16();
        var error = Assert.Throws<TpmFormatException>(reader.ExpectEnd);
        Assert.Contains("1 unexpected trailing byte(s) at offset 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sized_reader_is_bounded_by_its_size()
    {
        var reader = new TpmReader(Convert.FromHexString("00020102FF"));
        var inner = reader.ReadSized("TPM2B_X");
        Assert.Equal(0x0102, inner.ReadUInt16());
        Assert.Throws<TpmFormatException>(() => inner.ReadUInt8());
        Assert.Equal(0xFF, reader.ReadUInt8());
    }
}
