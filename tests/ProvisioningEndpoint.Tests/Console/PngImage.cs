using System.Buffers.Binary;
using System.IO.Compression;

namespace ProvisioningEndpoint.Tests.Console;

/// <summary>
/// Just enough of PNG (ISO/IEC 15948) to count a screenshot's colours: 8-bit RGB or RGBA,
/// non-interlaced (what Chromium writes), IDAT inflated and unfiltered (filter types 0-4).
/// </summary>
internal static class PngImage
{
    /// <summary>The number of distinct RGB colours in the image.</summary>
    public static int DistinctColors(byte[] png)
    {
        ReadOnlySpan<byte> signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        Assert.True(png.AsSpan(0, 8).SequenceEqual(signature), "not a PNG file");
        int width = 0, height = 0, channels = 0;
        using var idat = new MemoryStream();
        for (var at = 8; at < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            var type = System.Text.Encoding.ASCII.GetString(png, at + 4, 4);
            var data = png.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                Assert.Equal(8, data[8]);
                channels = data[9] switch { 2 => 3, 6 => 4, var other => throw new InvalidDataException($"PNG colour type {other} is not handled") };
                Assert.Equal(0, data[12]);
            }
            else if (type == "IDAT")
                idat.Write(data);
            else if (type == "IEND")
                break;
            at += 12 + length;
        }
        idat.Position = 0;
        using var inflater = new ZLibStream(idat, CompressionMode.Decompress);
        using var raw = new MemoryStream();
        inflater.CopyTo(raw);
        var bytes = raw.ToArray();
        var stride = width * channels;
        var previous = new byte[stride];
        var current = new byte[stride];
        var colors = new HashSet<int>();
        for (var y = 0; y < height; y++)
        {
            var filter = bytes[y * (stride + 1)];
            var line = bytes.AsSpan((y * (stride + 1)) + 1, stride);
            for (var x = 0; x < stride; x++)
            {
                int a = x >= channels ? current[x - channels] : 0, b = previous[x], c = x >= channels ? previous[x - channels] : 0;
                current[x] = (byte)(line[x] + filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new InvalidDataException($"PNG filter {filter}"),
                });
            }
            for (var x = 0; x < stride; x += channels)
                colors.Add((current[x] << 16) | (current[x + 1] << 8) | current[x + 2]);
            (previous, current) = (current, previous);
        }
        return colors.Count;
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
