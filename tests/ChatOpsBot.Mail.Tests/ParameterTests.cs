using ChatOpsBot.Mail;

namespace ChatOpsBot.Mail.Tests;

public class ParameterTests
{
    private static MimePart Part(string headers) =>
        (MimePart)Eml.Parse($"{headers}\n\ncontent").Body;

    [Fact]
    public void ContentTypeIsLowerCasedWithParametersInOrder()
    {
        MimePart part = Part("Content-Type: Text/HTML; Charset=\"UTF-8\"; format=flowed");

        part.ContentType.MimeType.ShouldBe("text/html");
        part.ContentType.Charset.ShouldBe("UTF-8");
        part.ContentType.Parameters.Select(p => p.Name).ShouldBe(["charset", "format"]);
    }

    [Fact]
    public void Rfc2231ContinuationsJoinOctetsBeforeDecoding()
    {
        MimePart part = Part("Content-Type: application/octet-stream\nContent-Disposition: attachment; filename*0*=UTF-8''%E2%98; filename*1*=%83.txt");

        part.FileName.ShouldBe("☃.txt");
        part.IsAttachment.ShouldBeTrue();
    }

    [Fact]
    public void Rfc2231MixesEncodedAndPlainSectionsOutOfOrderWithCharsetOnFirstOnly()
    {
        MimePart part = Part("Content-Type: application/pdf;\n name*1=\"-report\";\n name*2*=%E9.pdf;\n name*0*=iso-8859-1'fr'caf%E9");

        part.ContentType.Name.ShouldBe("café-reporté.pdf");
    }

    [Fact]
    public void Rfc2231SingleExtendedValueWithLanguage()
    {
        MimePart part = Part("Content-Disposition: attachment; filename*=utf-8'en'%D1%84%D0%B0%D0%B9%D0%BB.pdf");

        part.FileName.ShouldBe("файл.pdf");
    }

    [Fact]
    public void EncodedWordInsideQuotedFilenameIsDecoded()
    {
        MimePart part = Part("Content-Type: application/pdf; name=\"=?UTF-8?B?0YTQsNC50LsucGRm?=\"");

        part.FileName.ShouldBe("файл.pdf");
        part.IsAttachment.ShouldBeTrue();
    }

    [Fact]
    public void DispositionFilenameWinsOverContentTypeName()
    {
        MimePart part = Part("Content-Type: application/pdf; name=a.pdf\nContent-Disposition: attachment; filename=b.pdf");

        part.FileName.ShouldBe("b.pdf");
    }

    [Fact]
    public void QuotedPairsAreUnescapedAndUnquotedValuesMayContainSpaces()
    {
        MimePart part = Part("Content-Disposition: attachment; filename=\"C:\\\\TEMP\\\\a \\\"b\\\".png\"; note=two words");

        part.FileName.ShouldBe("C:\\TEMP\\a \"b\".png");
        part.ContentDisposition!.Parameters.Single(p => p.Name == "note").Value.ShouldBe("two words");
    }

    [Fact]
    public void BoundaryIsNeverRfc2047Decoded()
    {
        Multipart multipart = (Multipart)Eml.Parse("Content-Type: multipart/mixed; boundary=\"=?utf-8?q?x?=\"\n\n--=?utf-8?q?x?=\n\na\n--=?utf-8?q?x?=--\n").Body;

        multipart.Boundary.ShouldBe("=?utf-8?q?x?=");
        multipart.Children.Count.ShouldBe(1);
    }

    [Fact]
    public void TheWhiteSpaceListIsExactlyWhatCharIsWhiteSpaceAccepts()
    {
        string all = string.Concat(Enumerable.Range(0, char.MaxValue + 1).Select(c => (char)c).Where(char.IsWhiteSpace));

        WhiteSpace.Chars.ShouldBe(all);
    }

    [Fact]
    public void EveryWhiteSpaceCharacterEndsTheTypeSubtypeAndDispositionAndNoOtherCharacterDoes()
    {
        // The searches for where a type ends use WhiteSpace.Chars; CR and LF cannot stand inside a header line.
        // The other characters are not white space: a type they end up in is not a token.
        foreach (char c in Enumerable.Range(0, char.MaxValue + 1).Select(c => (char)c).Where(c => char.IsWhiteSpace(c) && c is not ('\r' or '\n')))
        {
            MimeMessage message = Parse($"Content-Type: text{c}/html{c}; charset=x\r\nContent-Disposition: inline{c}; filename=a\r\n\r\nbody");
            message.Body.ContentType.MimeType.ShouldBe("text/html", $"U+{(int)c:X4}");
            message.Body.ContentType.Charset.ShouldBe("x");
            message.Body.ContentDisposition!.Disposition.ShouldBe("inline");
        }

        foreach (char c in "\u200B\u180E\uFEFF\u001F")
        {
            MimeMessage message = Parse($"Content-Type: text/html{c}; charset=x\r\nContent-Disposition: inline{c}\r\n\r\nbody");
            message.Body.ContentType.MimeType.ShouldBe("text/plain", $"U+{(int)c:X4}");
            message.Body.ContentDisposition!.Disposition.ShouldBe($"inline{c}");
        }

        // Not Eml.Parse: it would make form feed and the Unicode line separators line breaks.
        static MimeMessage Parse(string text) => MimeParser.Parse(System.Text.Encoding.UTF8.GetBytes(text));
    }

    [Fact]
    public void MissingSubtypeIsReportedAndTextDefaultsToPlain()
    {
        MimePart part = Part("Content-Type: text");

        part.ContentType.MimeType.ShouldBe("text/plain");
        part.Defects.ShouldContain(d => d.Kind == MimeDefectKind.MissingSubtype);
    }

    [Fact]
    public void GarbageContentTypeFallsBackToTextPlainWithDefect()
    {
        MimePart part = Part("Content-Type: @@@/;;");

        part.ContentType.MimeType.ShouldBe("text/plain");
        part.Defects.ShouldContain(d => d.Kind == MimeDefectKind.InvalidContentType);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(20)]
    public void TheFirstOfRepeatedParameterNamesWinsInShortAndLongLists(int others)
    {
        string filler = string.Concat(Enumerable.Range(0, others).Select(i => $"; p{i}=v{i}"));

        MimePart part = Part($"Content-Type: text/plain; charset=utf-8{filler}; CHARSET=\"koi8-r\"; charset=latin1");

        part.ContentType.Charset.ShouldBe("utf-8");
        part.ContentType.Parameters.Count.ShouldBe(others + 1);
        part.ContentType.Parameters.Count(p => p.Name == "charset").ShouldBe(1);
    }

    [Fact]
    public void FoldedMixedCaseContentTypeKeepsValuesAsWritten()
    {
        MimePart part = Part("Content-Type: MULTIPART/Alternative;\n\tBOUNDARY=\"=_Part_1.ABC\";\n CharSet=UTF-8");

        part.ContentType.MediaType.ShouldBe("multipart");
        part.ContentType.MediaSubtype.ShouldBe("alternative");
        part.ContentType.Parameters.Select(p => (p.Name, p.Value)).ShouldBe([("boundary", "=_Part_1.ABC"), ("charset", "UTF-8")]);
    }

    [Fact]
    public void UnterminatedQuoteKeepsTheRestAndIsReported()
    {
        MimePart part = Part("Content-Type: application/pdf; name=\"unterminated.pdf");

        part.FileName.ShouldBe("unterminated.pdf");
        part.Defects.ShouldContain(d => d.Kind == MimeDefectKind.InvalidParameter);
    }

    [Fact]
    public void ManyRfc2231SectionsParseInReasonableTime()
    {
        string sections = string.Concat(Enumerable.Range(0, 10_000).Reverse().Select(i => $";\n name*{i}=x"));
        System.Diagnostics.Stopwatch watch = System.Diagnostics.Stopwatch.StartNew();

        MimePart part = Part($"Content-Type: application/octet-stream{sections}");

        (part.ContentType.Name == new string('x', 10_000)).ShouldBeTrue();
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5));
    }
}
