using System.Text;
using System.Text.Json;
using ChatOpsBot.Analysis.Common;
using ChatOpsBot.Analysis.PolicyAudit;
using ChatOpsBot.TestSupport;

namespace ChatOpsBot.Analysis.Tests.PolicyAudit;

/// <summary>
/// Inputs the seed crashes on or silently misreads: each must be one <see cref="InvalidInputException"/> whose
/// message names the JSON path and what was found there.
/// </summary>
public sealed class TtpPolicyAuditorInputTests
{
    [Theory]
    [InlineData("[]", "got a list")]
    [InlineData("null", "got null")]
    [InlineData("\"url_protect\"", "got the string \"url_protect\"")]
    [InlineData("42", "got the number 42")]
    [InlineData("true", "got true")]
    public void AuditRejectsAConfigThatIsNotAnObject(string json, string expectedTail)
    {
        InvalidInputException error = AuditShouldFail(json);

        error.Message.ShouldStartWith("the policy configuration must be a JSON object");
        error.Message.ShouldEndWith(expectedTail);
    }

    [Theory]
    [InlineData("url_protect", "null", "got null")]
    [InlineData("url_protect", "true", "got true")]
    [InlineData("attachment_protect", "[]", "got a list")]
    [InlineData("impersonation_protect", "\"on\"", "got the string \"on\"")]
    [InlineData("internal_email_protect", "1", "got the number 1")]
    public void AuditRejectsASectionThatIsNotAnObject(string section, string value, string expectedTail)
    {
        InvalidInputException error = AuditShouldFail($$$"""{"{{{section}}}": {{{value}}}}""");

        error.Message.ShouldBe($"{section} must be an object, {expectedTail}");
    }

    [Theory]
    [InlineData("url_protect", "enabled", "\"false\"", "got the string \"false\"")]
    [InlineData("url_protect", "enabled", "\"true\"", "got the string \"true\"")]
    [InlineData("url_protect", "rewriting", "1", "got the number 1")]
    [InlineData("url_protect", "predelivery_hold", "0", "got the number 0")]
    [InlineData("attachment_protect", "enabled", "[]", "got a list")]
    [InlineData("impersonation_protect", "enabled", "{}", "got an object")]
    [InlineData("internal_email_protect", "enabled", "\"yes\"", "got the string \"yes\"")]
    public void AuditRejectsAFlagThatIsNotTrueOrFalse(string section, string key, string value, string expectedTail)
    {
        InvalidInputException error = AuditShouldFail($$$"""{"{{{section}}}": {"{{{key}}}": {{{value}}}}}""");

        error.Message.ShouldBe($"{section}.{key} must be true or false, {expectedTail}");
    }

    [Fact]
    public void AuditRejectsAWronglyTypedSubSettingEvenWhenItsServiceIsDisabled()
    {
        InvalidInputException error = AuditShouldFail("""{"url_protect": {"enabled": false, "rewriting": "yes"}}""");

        error.Message.ShouldStartWith("url_protect.rewriting must be true or false");
    }

    [Theory]
    [InlineData("1", "got the number 1")]
    [InlineData("true", "got true")]
    [InlineData("[\"dynamic\"]", "got a list")]
    [InlineData("{}", "got an object")]
    public void AuditRejectsASandboxModeThatIsNotAString(string value, string expectedTail)
    {
        InvalidInputException error = AuditShouldFail($$$"""{"attachment_protect": {"enabled": true, "sandbox_mode": {{{value}}}}}""");

        error.Message.ShouldStartWith("attachment_protect.sandbox_mode must be a string");
        error.Message.ShouldEndWith(expectedTail);
    }

    [Theory]
    [InlineData("\"ceo@corp.example\"", "got the string \"ceo@corp.example\"")]
    [InlineData("null", "got null")]
    [InlineData("{\"ceo\": 1}", "got an object")]
    [InlineData("5", "got the number 5")]
    public void AuditRejectsAVipListThatIsNotAList(string value, string expectedTail)
    {
        InvalidInputException error = AuditShouldFail($$$"""{"impersonation_protect": {"enabled": true, "vip_list": {{{value}}}}}""");

        error.Message.ShouldBe($"impersonation_protect.vip_list must be a list, {expectedTail}");
    }

    [Fact]
    public void AuditQuotesAHostileStringOnOneLineWithControlAndBidiCharactersEscaped()
    {
        InvalidInputException error = AuditShouldFail("""{"url_protect": {"enabled": "on\n\u202Eoff\u0007"}}""");

        error.Message.ShouldBe("url_protect.enabled must be true or false, got the string \"on\\u000A\\u202Eoff\\u0007\"");
        error.Message.ShouldNotContain("\n");
    }

    [Fact]
    public void AuditShortensALongValueInItsMessage()
    {
        string longValue = new('x', 5000);
        InvalidInputException error = AuditShouldFail($$$"""{"url_protect": {"enabled": "{{{longValue}}}"}}""");

        error.Message.Length.ShouldBeLessThan(200);
        error.Message.ShouldEndWith("…\"");
    }

    [Theory]
    [InlineData("", "invalid JSON")]
    [InlineData("{\"url_protect\": {\"enabled\": true", "invalid JSON at line 1")]
    [InlineData("{\"url_protect\": {}}\n{}", "invalid JSON at line 2, column 1")]
    public void AuditOfAStreamReportsInvalidJsonWithItsPosition(string text, string expectedStart)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));

        InvalidInputException error = Should.Throw<InvalidInputException>(() => TtpPolicyAuditor.Audit(stream));

        error.Message.ShouldStartWith(expectedStart);
    }

    [Fact]
    public void AuditOfAStreamRejectsNestingDeeperThanAnyPolicyExport()
    {
        string deep = string.Concat(Enumerable.Repeat("[", 100)) + string.Concat(Enumerable.Repeat("]", 100));
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes($$$"""{"impersonation_protect": {"vip_list": {{{deep}}}}}"""));

        Should.Throw<InvalidInputException>(() => TtpPolicyAuditor.Audit(stream)).Message.ShouldStartWith("invalid JSON");
    }

    [Fact]
    public void AuditOfAStreamReadsABomPrefixedConfig()
    {
        byte[] bytes = [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes("""{"internal_email_protect": {"enabled": true}}""")];
        using var stream = new MemoryStream(bytes);

        TtpPolicyAuditor.Audit(stream).Score.ShouldBe(25);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AuditOfAStreamRejectsInputLargerThanTheLimit(bool seekable)
    {
        Stream stream = new EndlessWhitespaceStream(TtpPolicyAuditor.MaxConfigBytes + 1, seekable);

        InvalidInputException error = Should.Throw<InvalidInputException>(() => TtpPolicyAuditor.Audit(stream));

        error.Message.ShouldContain("larger than 16 MiB");
    }

    [Fact]
    public void AuditOfANonSeekableStreamWithinTheLimitIsAudited()
    {
        byte[] config = Encoding.UTF8.GetBytes("""{"url_protect": {"enabled": true, "rewriting": true, "predelivery_hold": true}}""");
        using var stream = new ChunkedStream(config);

        TtpPolicyAuditor.Audit(stream).Score.ShouldBe(25);
    }

    [Fact]
    public void AuditOfATypedConfigRejectsANegativeVipCount()
    {
        TtpPolicyConfig config = TtpPolicyConfig.Empty with { ImpersonationProtect = new ImpersonationProtectPolicy(true, -1) };

        Should.Throw<ArgumentOutOfRangeException>(() => TtpPolicyAuditor.Audit(config));
    }

    [Theory]
    [InlineData("""{"attachment_protect": {"enabled": true, "sandbox_mode": "dyn\ud800amic"}}""")]
    [InlineData("""{"attachment_protect": {"enabled": true, "sandbox_mode": "dyn\udc00amic"}}""")]
    public void AuditRejectsASandboxModeWithAnUnpairedSurrogateEscape(string json)
    {
        InvalidInputException error = AuditShouldFail(json);

        error.Message.ShouldBe("attachment_protect.sandbox_mode is not valid UTF-8 or Unicode text");
    }

    [Fact]
    public void AuditRejectsASandboxModeThatIsNotUtf8()
    {
        byte[] json = [.. Encoding.UTF8.GetBytes("""{"attachment_protect": {"enabled": true, "sandbox_mode": "dyn"""), 0xFF, .. Encoding.UTF8.GetBytes("""amic"}}""")];
        using var stream = new MemoryStream(json);

        InvalidInputException error = Should.Throw<InvalidInputException>(() => TtpPolicyAuditor.Audit(stream));

        error.Message.ShouldBe("attachment_protect.sandbox_mode is not valid UTF-8 or Unicode text");
    }

    [Fact]
    public void AuditNamesAnUndecodableStringWhereAFlagWasExpected()
    {
        InvalidInputException error = AuditShouldFail("""{"url_protect": {"enabled": "o\ud800n"}}""");

        error.Message.ShouldBe("url_protect.enabled must be true or false, got a string that is not valid UTF-8 or Unicode text");
    }

    private static InvalidInputException AuditShouldFail(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement root = document.RootElement;
        return Should.Throw<InvalidInputException>(() => TtpPolicyAuditor.Audit(root));
    }

    /// <summary>Whitespace of a given length, without allocating it.</summary>
    private sealed class EndlessWhitespaceStream(long length, bool seekable) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => seekable;

        public override bool CanWrite => false;

        public override long Length => seekable ? length : throw new NotSupportedException();

        public override long Position
        {
            get => seekable ? _position : throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = (int)Math.Min(count, length - _position);
            buffer.AsSpan(offset, n).Fill((byte)' ');
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
