namespace ChatOpsBot.TestSupport;

/// <summary>
/// A read-only, forward-only stream that hands out its bytes in random pieces of 1 to <paramref name="maxChunk"/>
/// bytes, as a pipe, socket or decoding stream may: callers must neither seek nor assume a read fills their buffer.
/// </summary>
internal sealed class ChunkedStream(byte[] data, int maxChunk = 7_001, int seed = 0) : Stream
{
    private readonly Random _random = new(seed);
    private int _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        int size = Math.Min(Math.Min(count, _random.Next(1, maxChunk + 1)), data.Length - _position);
        data.AsSpan(_position, size).CopyTo(buffer.AsSpan(offset, size));
        _position += size;
        return size;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
