using System.Buffers;

namespace ChatOpsBot.Mail;

/// <summary>
/// A read-only stream that decodes raw content chunk by chunk, so large parts are never copied whole.
/// <paramref name="completed"/> is called once with the decoder when the whole content has been decoded.
/// </summary>
internal sealed class DecodingStream(ReadOnlyMemory<byte> raw, TransferDecoder decoder, Action<TransferDecoder>? completed = null) : Stream
{
    private const int ChunkSize = 16 * 1024;

    // Pooled: analysis opens one stream per attachment, and a fresh 18 KB array each time was most of its allocation.
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(TransferDecoder.MaxOutputLength(ChunkSize));
    private int _bufferStart;
    private int _bufferEnd;
    private int _used;
    private int _rawPosition;
    private bool _flushed;
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException("The decoded length is not known before decoding.");

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException("The decoded content stream cannot seek.");
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (_bufferStart == _bufferEnd)
        {
            if (!Fill())
            {
                return 0;
            }
        }

        int length = Math.Min(buffer.Length, _bufferEnd - _bufferStart);
        _buffer.AsSpan(_bufferStart, length).CopyTo(buffer);
        _bufferStart += length;
        _position += length;
        return length;
    }

    public override void Flush()
    {
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _buffer.Length > 0)
        {
            // Decoded content is cleared before the buffer goes back to the shared pool; only the part ever written.
            _buffer.AsSpan(0, _used).Clear();
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
            _bufferStart = 0;
            _bufferEnd = 0;
            _rawPosition = raw.Length;
            _flushed = true;
        }

        base.Dispose(disposing);
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("The decoded content stream cannot seek.");

    public override void SetLength(long value) => throw new NotSupportedException("The decoded content stream is read-only.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("The decoded content stream is read-only.");

    private bool Fill()
    {
        _bufferStart = 0;
        if (_rawPosition < raw.Length)
        {
            int length = Math.Min(ChunkSize, raw.Length - _rawPosition);
            _bufferEnd = decoder.Decode(raw.Span.Slice(_rawPosition, length), _buffer);
            _used = Math.Max(_used, _bufferEnd);
            _rawPosition += length;
            return true;
        }

        if (_flushed)
        {
            _bufferEnd = 0;
            return false;
        }

        _flushed = true;
        _bufferEnd = decoder.Flush(_buffer);
        _used = Math.Max(_used, _bufferEnd);
        completed?.Invoke(decoder);
        return true;
    }
}
