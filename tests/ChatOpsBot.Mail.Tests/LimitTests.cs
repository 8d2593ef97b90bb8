using System.Diagnostics;
using System.Text;
using ChatOpsBot.Mail;

namespace ChatOpsBot.Mail.Tests;

public class LimitTests
{
    internal static byte[] DeepMultipart(int depth)
    {
        StringBuilder text = new();
        for (int i = 0; i < depth; i++)
        {
            text.Append("Content-Type: multipart/mixed; boundary=b").Append(i).Append("\r\n\r\n--b").Append(i).Append("\r\n");
        }

        text.Append("Content-Type: text/plain\r\n\r\nleaf\r\n");
        for (int i = depth - 1; i >= 0; i--)
        {
            text.Append("--b").Append(i).Append("--\r\n");
        }

        return Encoding.ASCII.GetBytes(text.ToString());
    }

    internal static byte[] DeepMessages(int depth)
    {
        StringBuilder text = new();
        for (int i = 0; i < depth; i++)
        {
            text.Append("Subject: level ").Append(i).Append("\r\nContent-Type: message/rfc822\r\n\r\n");
        }

        return Encoding.ASCII.GetBytes(text.Append("Subject: leaf\r\n\r\nbody\r\n").ToString());
    }

    internal static byte[] ManyHeaders(int count)
    {
        StringBuilder text = new();
        for (int i = 0; i < count; i++)
        {
            text.Append("X-H").Append(i).Append(": v\r\n");
        }

        return Encoding.ASCII.GetBytes(text.Append("Subject: last\r\n\r\nbody").ToString());
    }

    [Fact]
    public void ThousandDeepMultipartStopsAtMaxDepthWithDefectAndRoundTrips()
    {
        byte[] bytes = DeepMultipart(1000);

        MimeMessage message = MimeParser.Parse(bytes);

        message.ShouldRespect(MimeParserOptions.Default);
        MimeTree.MaxDepth(message).ShouldBe(MimeParserOptions.Default.MaxDepth);
        message.DefectKinds().ShouldContain(MimeDefectKind.NestingTooDeep);
        Eml.RoundTrip(message).ShouldBe(bytes);
    }

    [Fact]
    public void CallerSuppliedDepthIsCappedSoTheStackCannotOverflow()
    {
        byte[] bytes = DeepMultipart(3000);
        MimeMessage? message = null;

        // A 256 KiB stack is a quarter of the smallest default thread stack: parsing must stop before exhausting it.
        Thread thread = new(() => message = MimeParser.Parse(bytes, new MimeParserOptions { MaxDepth = int.MaxValue }), 256 * 1024);
        thread.Start();
        thread.Join();

        MimeTree.MaxDepth(message!).ShouldBeInRange(16, 1000);
        message!.DefectKinds().ShouldContain(MimeDefectKind.NestingTooDeep);
        Eml.RoundTrip(message!).ShouldBe(bytes);
    }

    [Fact]
    public void ThousandDeepEmbeddedMessagesStopAtMaxDepth()
    {
        byte[] bytes = DeepMessages(1000);

        MimeMessage message = MimeParser.Parse(bytes);

        message.ShouldRespect(MimeParserOptions.Default);
        message.DefectKinds().ShouldContain(MimeDefectKind.NestingTooDeep);
        Eml.RoundTrip(message).ShouldBe(bytes);
    }

    [Fact]
    public void NestedBase64MessagesStopAtTheDecodedBudget()
    {
        byte[] inner = Encoding.ASCII.GetBytes("Subject: leaf\r\n\r\n" + new string('x', 10_000));
        for (int i = 0; i < 6; i++)
        {
            inner = Encoding.ASCII.GetBytes("Content-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\n" + Convert.ToBase64String(inner, Base64FormattingOptions.InsertLineBreaks));
        }

        MimeParserOptions options = new() { MaxDecodedBytes = 50_000 };
        MimeMessage message = MimeParser.Parse(inner, options);

        message.ShouldRespect(options);
        message.DefectKinds().ShouldContain(MimeDefectKind.DecodedSizeLimitExceeded);
        Eml.RoundTrip(message).ShouldBe(inner);
    }

    [Fact]
    public void HundredThousandHeadersKeepOnlyTheLimitAndStayFast()
    {
        byte[] bytes = ManyHeaders(100_000);
        Stopwatch watch = Stopwatch.StartNew();

        MimeMessage message = MimeParser.Parse(bytes);

        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5));
        message.Headers.Count.ShouldBe(MimeParserOptions.Default.MaxHeaders);
        message.Body.Defects.ShouldContain(d => d.Kind == MimeDefectKind.TooManyHeaders);
        message.TextBody.ShouldBe("body");
        Eml.RoundTrip(message).ShouldBe(bytes);
    }

    [Fact]
    public void HeaderBlockLargerThanTheLimitKeepsTheRestRaw()
    {
        byte[] bytes = ManyHeaders(5_000);

        MimeMessage message = MimeParser.Parse(bytes, new MimeParserOptions { MaxHeaderBlockBytes = 1_000 });

        message.Headers.Sum(h => h.RawBytes.Length).ShouldBeLessThanOrEqualTo(1_000);
        message.Headers.Count.ShouldBeGreaterThan(10);
        message.Body.Defects.ShouldContain(d => d.Kind == MimeDefectKind.HeaderBlockTooLarge);
        Eml.RoundTrip(message).ShouldBe(bytes);
    }

    [Fact]
    public void FiftyMegabyteSingleLineHeaderAndBodyParseInLinearTime()
    {
        byte[] line = new byte[50 * 1024 * 1024];
        Array.Fill(line, (byte)'A');
        byte[] bytes = [.. "X-Long: "u8, .. line, .. "\r\nContent-Transfer-Encoding: base64\r\n\r\n"u8, .. line];
        Stopwatch watch = Stopwatch.StartNew();

        MimeMessage message = MimeParser.Parse(bytes);

        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(20));
        message.Headers.Find("X-Long")!.RawValue.Length.ShouldBe(MimeParserOptions.Default.MaxHeaderBytes);
        message.Body.Defects.ShouldContain(d => d.Kind == MimeDefectKind.HeaderTooLong);
        ((MimePart)message.Body).GetContentBytes().Length.ShouldBe(line.Length / 4 * 3);
    }

    [Fact]
    public void ManyMultipartsWhoseBoundaryNeverAppearsDoNotRescanTheMessage()
    {
        string parts = string.Concat(Enumerable.Range(0, 5_000).Select(i => $"--b\r\nContent-Type: multipart/mixed; boundary=never{i}\r\n\r\n{new string('x', 200)}\r\n"));
        byte[] bytes = Encoding.ASCII.GetBytes($"Content-Type: multipart/mixed; boundary=b\r\n\r\n{parts}--b--\r\n");
        Stopwatch watch = Stopwatch.StartNew();

        MimeMessage message = MimeParser.Parse(bytes);

        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(2));
        Multipart root = message.Body.ShouldBeOfType<Multipart>();
        root.Children.Count.ShouldBe(5_000);
        root.Children.ShouldAllBe(c => c is TextPart && c.Defects.Any(d => d.Kind == MimeDefectKind.StartBoundaryNotFound));
        Eml.RoundTrip(message).ShouldBe(bytes);
    }

    [Theory]
    [InlineData("Content-Type", "a/b", ";")]
    [InlineData("Content-Type", "a/b; ", "x*1=y;")]
    [InlineData("Content-Type", "a/b; n=", "\\\"")]
    [InlineData("Content-Disposition", "attachment; filename=", "=?utf-8?q?")]
    [InlineData("Subject", "", "=?")]
    [InlineData("Subject", "", "=?utf-8?b?QQ==?= ")]
    [InlineData("From", "", "<")]
    [InlineData("From", "", "\"")]
    [InlineData("From", "", "a@b,")]
    [InlineData("To", "g:", "a@b:c;")]
    [InlineData("Date", "", "(")]
    [InlineData("From", "", "(a")]
    public void HostileHeaderValuesParseInLinearTime(string field, string prefix, string repeated)
    {
        int count = 250_000 / repeated.Length;
        byte[] bytes = Encoding.ASCII.GetBytes($"{field}: {prefix}{string.Concat(Enumerable.Repeat(repeated, count))}\r\n\r\nbody");
        Stopwatch watch = Stopwatch.StartNew();

        MimeMessage message = MimeParser.Parse(bytes);
        Corpus.CorpusTests.ExerciseEverything(message);

        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(3));
        Eml.RoundTrip(message).ShouldBe(bytes);
    }

    [Fact]
    public void BodyOfDashLinesInsideDeepMultipartsScansInLinearTime()
    {
        byte[] deep = DeepMultipart(60);
        string dashes = string.Concat(Enumerable.Repeat("--b1x\r\n--\r\n", 200_000));
        int leaf = Encoding.ASCII.GetString(deep).IndexOf("leaf", StringComparison.Ordinal);
        byte[] bytes = [.. deep[..leaf], .. Encoding.ASCII.GetBytes(dashes), .. deep[leaf..]];
        Stopwatch watch = Stopwatch.StartNew();

        MimeMessage message = MimeParser.Parse(bytes);

        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5));
        Eml.RoundTrip(message).ShouldBe(bytes);
    }

    [Fact]
    public void PartCountIsCappedAndTheRestKeptInTheEpilogue()
    {
        string parts = string.Concat(Enumerable.Range(0, 500).Select(i => $"--b\r\n\r\npart {i}\r\n"));
        byte[] bytes = Encoding.ASCII.GetBytes($"Content-Type: multipart/mixed; boundary=b\r\n\r\n{parts}--b--\r\n");
        MimeParserOptions options = new() { MaxParts = 100 };

        MimeMessage message = MimeParser.Parse(bytes, options);

        message.ShouldRespect(options);
        Multipart root = message.Body.ShouldBeOfType<Multipart>();
        root.Children.Count.ShouldBe(99);
        root.Epilogue!.ShouldContain("part 499");
        root.Defects.ShouldContain(d => d.Kind == MimeDefectKind.TooManyParts);
        Eml.RoundTrip(message).ShouldBe(bytes);
    }

    [Fact]
    public void InputBeyondMaxInputBytesIsNotReadAndIsReported()
    {
        byte[] bytes = Eml.Bytes("Subject: s\n\n" + new string('x', 1000));
        MimeParserOptions options = new() { MaxInputBytes = 100 };

        MimeMessage fromStream = MimeParser.Parse(new MemoryStream(bytes), options);
        MimeMessage fromMemory = MimeParser.Parse(bytes, options);

        foreach (MimeMessage message in new[] { fromStream, fromMemory })
        {
            message.Defects.ShouldContain(d => d.Kind == MimeDefectKind.InputTruncated);
            Eml.RoundTrip(message).ShouldBe(bytes[..100]);
        }
    }

    [Fact]
    public void NonSeekableStreamIsReadCompletely()
    {
        byte[] bytes = Eml.Bytes("Subject: s\n\n" + new string('x', 300_000));

        MimeMessage message = MimeParser.Parse(new NonSeekableStream(bytes));

        Eml.RoundTrip(message).ShouldBe(bytes);
        message.Defects.ShouldBeEmpty();
    }

    [Fact]
    public void NullArgumentsThrowArgumentNullException()
    {
        Should.Throw<ArgumentNullException>(() => MimeParser.Parse((Stream)null!));
        Should.Throw<ArgumentNullException>(() => MimeParser.Parse(Eml.Bytes("a: b\n\n")).WriteTo(null!));
    }

    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 1000));
    }
}
