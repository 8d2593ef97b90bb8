namespace ChatOpsBot.Analysis.EmailForensics.Attachments;

/// <summary>A read-only view of a seekable stream from <c>start</c> to its end, so an attachment embedded at a non-zero position reads as a whole file.</summary>
internal sealed class OffsetStream(Stream inner, long start) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => inner.Length - start;

    public override long Position
    {
        get => inner.Position - start;
        set => inner.Position = value + start;
    }

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => inner.Read(buffer);

    public override long Seek(long offset, SeekOrigin origin) => origin switch
    {
        SeekOrigin.Begin => inner.Seek(offset + start, SeekOrigin.Begin) - start,
        SeekOrigin.Current => inner.Seek(offset, SeekOrigin.Current) - start,
        _ => inner.Seek(offset, SeekOrigin.End) - start,
    };

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
