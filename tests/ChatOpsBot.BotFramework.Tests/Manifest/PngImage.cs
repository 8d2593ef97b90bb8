using System.Buffers.Binary;
using System.IO.Compression;

namespace ChatOpsBot.BotFramework.Tests.Manifest;

/// <summary>A minimal PNG reader for the icon tests: 8-bit RGBA or RGB, non-interlaced, all five row filters.</summary>
internal sealed class PngImage
{
    private static readonly byte[] s_signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private PngImage(int width, int height, int colorType, byte[] pixels)
    {
        Width = width;
        Height = height;
        ColorType = colorType;
        Pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>6 is RGBA (has an alpha channel), 2 is RGB.</summary>
    public int ColorType { get; }

    /// <summary>Row-major RGBA, 4 bytes per pixel (alpha 255 for RGB images).</summary>
    public byte[] Pixels { get; }

    public (byte R, byte G, byte B, byte A) this[int x, int y]
    {
        get
        {
            int i = ((y * Width) + x) * 4;
            return (Pixels[i], Pixels[i + 1], Pixels[i + 2], Pixels[i + 3]);
        }
    }

    public static PngImage Read(string path)
    {
        byte[] data = File.ReadAllBytes(path);
        if (!data.AsSpan(0, 8).SequenceEqual(s_signature))
        {
            throw new InvalidDataException($"{path} is not a PNG file.");
        }

        int width = 0, height = 0, colorType = 0;
        using MemoryStream compressed = new();
        for (int offset = 8; offset < data.Length;)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(offset));
            string kind = System.Text.Encoding.ASCII.GetString(data, offset + 4, 4);
            ReadOnlySpan<byte> body = data.AsSpan(offset + 8, length);
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(offset + 8 + length));
            if (Crc32(data.AsSpan(offset + 4, length + 4)) != crc)
            {
                throw new InvalidDataException($"{path}: bad CRC on {kind}.");
            }

            if (kind == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(body);
                height = BinaryPrimitives.ReadInt32BigEndian(body[4..]);
                int bitDepth = body[8];
                colorType = body[9];
                if (bitDepth != 8 || colorType is not (2 or 6) || body[12] != 0)
                {
                    throw new InvalidDataException($"{path}: only 8-bit non-interlaced RGB(A) is supported.");
                }
            }
            else if (kind == "IDAT")
            {
                compressed.Write(body);
            }

            offset += 12 + length;
        }

        compressed.Position = 0;
        using ZLibStream inflater = new(compressed, CompressionMode.Decompress);
        using MemoryStream raw = new();
        inflater.CopyTo(raw);
        return new PngImage(width, height, colorType, Unfilter(raw.ToArray(), width, height, colorType == 6 ? 4 : 3));
    }

    private static byte[] Unfilter(byte[] raw, int width, int height, int bytesPerPixel)
    {
        int stride = width * bytesPerPixel;
        byte[] current = new byte[stride];
        byte[] previous = new byte[stride];
        byte[] rgba = new byte[width * height * 4];
        for (int y = 0; y < height; y++)
        {
            int rowStart = y * (stride + 1);
            byte filter = raw[rowStart];
            for (int i = 0; i < stride; i++)
            {
                int a = i >= bytesPerPixel ? current[i - bytesPerPixel] : 0;
                int b = previous[i];
                int c = i >= bytesPerPixel ? previous[i - bytesPerPixel] : 0;
                int value = raw[rowStart + 1 + i];
                current[i] = (byte)(filter switch
                {
                    0 => value,
                    1 => value + a,
                    2 => value + b,
                    3 => value + ((a + b) / 2),
                    4 => value + Paeth(a, b, c),
                    _ => throw new InvalidDataException($"Unknown PNG filter {filter}."),
                });
            }

            for (int x = 0; x < width; x++)
            {
                int target = ((y * width) + x) * 4;
                int source = x * bytesPerPixel;
                rgba[target] = current[source];
                rgba[target + 1] = current[source + 1];
                rgba[target + 2] = current[source + 2];
                rgba[target + 3] = bytesPerPixel == 4 ? current[source + 3] : (byte)255;
            }

            (previous, current) = (current, previous);
        }

        return rgba;
    }

    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
        }

        return ~crc;
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
