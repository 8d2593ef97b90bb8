using ChatOpsBot.Integrations.Http;

namespace ChatOpsBot.Integrations.Tests.Http;

public sealed class BoundedContentTests
{
    public static TheoryData<int> Sizes => new() { 0, 1, 1000, BoundedContent.SegmentBytes - 1, BoundedContent.SegmentBytes, BoundedContent.SegmentBytes + 1, 3 * BoundedContent.SegmentBytes + 17 };

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task A_body_with_a_declared_length_is_read_whole(int size)
    {
        byte[] body = Bytes(size);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentLength.ShouldBe(size);

        byte[]? read = await BoundedContent.ReadAsync(content, maxBytes: 1 << 20, CancellationToken.None);

        read.ShouldBe(body);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task A_body_of_unknown_length_is_read_whole_across_segments(int size)
    {
        byte[] body = Bytes(size);
        using var content = new StreamContent(new TrickleStream(body, maxRead: 7_001));
        content.Headers.ContentLength.ShouldBeNull();

        byte[]? read = await BoundedContent.ReadAsync(content, maxBytes: 1 << 20, CancellationToken.None);

        read.ShouldBe(body);
    }

    [Fact]
    public async Task A_declared_length_above_the_limit_is_refused_without_reading()
    {
        var stream = new TrickleStream(Bytes(10), maxRead: 10);
        using var content = new StreamContent(stream);
        content.Headers.ContentLength = 2_000;

        (await BoundedContent.ReadAsync(content, maxBytes: 1_000, CancellationToken.None)).ShouldBeNull();
        stream.BytesRead.ShouldBe(0);
    }

    [Fact]
    public async Task A_body_of_unknown_length_above_the_limit_is_refused_and_reading_stops()
    {
        var stream = new TrickleStream(Bytes(10 * BoundedContent.SegmentBytes), maxRead: 4_096);
        using var content = new StreamContent(stream);

        (await BoundedContent.ReadAsync(content, maxBytes: BoundedContent.SegmentBytes + 100, CancellationToken.None)).ShouldBeNull();
        stream.BytesRead.ShouldBeLessThan(2 * BoundedContent.SegmentBytes);
    }

    [Fact]
    public async Task A_body_longer_than_its_declared_length_is_read_on_and_still_bounded()
    {
        byte[] body = Bytes(5_000);
        using (var longer = new StreamContent(new TrickleStream(body, maxRead: 999)))
        {
            longer.Headers.ContentLength = 1_000;
            (await BoundedContent.ReadAsync(longer, maxBytes: 10_000, CancellationToken.None)).ShouldBe(body);
        }

        using var tooLong = new StreamContent(new TrickleStream(body, maxRead: 999));
        tooLong.Headers.ContentLength = 1_000;
        (await BoundedContent.ReadAsync(tooLong, maxBytes: 4_000, CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task A_body_shorter_than_its_declared_length_is_what_came()
    {
        byte[] body = Bytes(700);
        using var content = new StreamContent(new TrickleStream(body, maxRead: 300));
        content.Headers.ContentLength = 1_000;

        (await BoundedContent.ReadAsync(content, maxBytes: 10_000, CancellationToken.None)).ShouldBe(body);
    }

    [Fact]
    public async Task A_body_at_exactly_the_limit_is_accepted()
    {
        byte[] body = Bytes(BoundedContent.SegmentBytes + 5);
        using var content = new StreamContent(new TrickleStream(body, maxRead: 10_000));

        (await BoundedContent.ReadAsync(content, maxBytes: body.Length, CancellationToken.None)).ShouldBe(body);
    }

    [Fact]
    public async Task Cancellation_stops_the_read()
    {
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();
        using var content = new StreamContent(new TrickleStream(Bytes(100), maxRead: 10));

        await Should.ThrowAsync<OperationCanceledException>(() => BoundedContent.ReadAsync(content, 1_000, cancel.Token));
    }

    private static byte[] Bytes(int count)
    {
        var bytes = new byte[count];
        new Random(count).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Hands out at most <c>maxRead</c> bytes per read, as a network stream does, and counts what it gave.</summary>
    private sealed class TrickleStream(byte[] data, int maxRead) : Stream
    {
        public int BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int count = Math.Min(Math.Min(maxRead, buffer.Length), data.Length - BytesRead);
            data.AsSpan(BytesRead, count).CopyTo(buffer);
            BytesRead += count;
            return count;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return ValueTask.FromResult(Read(buffer.Span));
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
