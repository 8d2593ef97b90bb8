using ChatOpsBot.Mail;

namespace ChatOpsBot.Mail.Tests;

public class EncodedWordTests
{
    [Theory]
    [InlineData("=?UTF-8?B?SGVsbG8=?=", "Hello")]
    [InlineData("=?iso-8859-1?q?caf=E9_au_lait?=", "café au lait")]
    [InlineData("=?utf-8?Q?caf=c3=a9?=", "café")]
    [InlineData("abc=?utf-8?q?d=C3=A9f?=ghi", "abcdéfghi")]
    [InlineData("=?UTF-8?Q?a?= =?UTF-8?Q?b?=", "ab")]
    [InlineData("=?UTF-8?Q?a?=\r\n =?UTF-8?Q?b?=", "ab")]
    [InlineData("=?UTF-8?Q?a?= plain =?UTF-8?Q?b?=", "a plain b")]
    [InlineData("=?utf-8?B?4pi?= =?utf-8?B?gw==?=", "☃")]
    [InlineData("=?UTF-8*en?Q?hi?=", "hi")]
    [InlineData("=?UTF-8?B?SGVsbG8?=", "Hello")]
    [InlineData("=?ks_c_5601-1987?B?x9GxuQ==?=", "한국")]
    [InlineData("=?UTF-8?Q?=0AMy_self?=", "\nMy self")]
    public void DecodesEncodedWordsAsLenientClientsDo(string input, string expected)
    {
        Rfc2047.Decode(input, out EncodedWordIssues issues).ShouldBe(expected);
        issues.ShouldBe(EncodedWordIssues.None);
    }

    [Theory]
    [InlineData("=?UTF-8?X?abc?=")]
    [InlineData("=?UTF-8?Q?unterminated")]
    public void MalformedEncodedWordIsLeftAsTextAndReported(string input)
    {
        Rfc2047.Decode(input, out EncodedWordIssues issues).ShouldBe(input);
        issues.ShouldBe(EncodedWordIssues.InvalidWord);
    }

    [Fact]
    public void UnknownCharsetFallsBackWithoutThrowing()
    {
        Rfc2047.Decode("=?x-no-such-charset?Q?caf=C3=A9?=", out EncodedWordIssues issues).ShouldBe("café");
        issues.ShouldBe(EncodedWordIssues.UnknownCharset);
    }

    [Fact]
    public void ManyUnterminatedWordsDecodeInLinearTime()
    {
        string hostile = string.Concat(Enumerable.Repeat("=?UTF-8?Q?x", 200_000));
        System.Diagnostics.Stopwatch watch = System.Diagnostics.Stopwatch.StartNew();

        Rfc2047.Decode(hostile, out _).ShouldBe(hostile);

        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void SubjectWithInvalidWordRecordsDefectOnItsEntity()
    {
        MimeMessage message = Eml.Parse("Subject: =?UTF-8?Z?abc?=\n\n");

        message.Subject.ShouldBe("=?UTF-8?Z?abc?=");
        message.Body.Defects.ShouldContain(d => d.Kind == MimeDefectKind.InvalidEncodedWord);
    }
}
