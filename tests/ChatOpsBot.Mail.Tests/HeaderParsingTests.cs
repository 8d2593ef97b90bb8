using System.Text;
using ChatOpsBot.Mail;
using FsCheck;
using FsCheck.Fluent;

namespace ChatOpsBot.Mail.Tests;

public class HeaderParsingTests
{
    [Fact]
    public void FoldedHeaderIsUnfoldedInValueButKeptInRawValue()
    {
        MimeMessage message = Eml.Parse("Subject: first\n  second\n\tthird\n\nbody");

        message.Subject.ShouldBe("first  second\tthird");
        message.Headers.Find("Subject")!.RawValue.ShouldBe(" first\r\n  second\r\n\tthird");
    }

    [Fact]
    public void EncodedWordJoinedByRemovingABareCarriageReturnIsDecodedAndItsDefectsReportedWhileParsing()
    {
        // Unfolding removes every CR and LF, so "=" CR "?" becomes "=?": such a value is decoded while parsing (with
        // its defects), not left for later like values that cannot hold an encoded word.
        byte[] bytes = [.. "Subject: =\r?utf-8?B?w6k=?=\r\nX-Bad: =\r?utf-8?Q?=ZZ?=\r\nX-Plain: a=b?\r\n \tc \r\n\r\n"u8];

        MimeMessage message = MimeParser.Parse(bytes);

        message.Subject.ShouldBe("é");
        message.Body.Defects.ShouldContain(d => d.Kind == MimeDefectKind.InvalidEncodedWord && d.Message.Contains("X-Bad", StringComparison.Ordinal));
        message.Headers["X-Plain"].ShouldBe("a=b? \tc");
        message.Headers.Find("X-Plain")!.RawValue.ShouldBe(" a=b?\r\n \tc ");
    }

    [Fact]
    public void HeadersKeepOrderDuplicatesAndExactRawBytes()
    {
        MimeMessage message = Eml.Parse("Received: a\nX-Test: 1\nReceived: b\n\n");

        message.Headers.Select(h => h.Field).ShouldBe(["Received", "X-Test", "Received"]);
        message.Headers.FindAll("received").Select(h => h.Value).ShouldBe(["a", "b"]);
        Encoding.ASCII.GetString(message.Headers[1].RawBytes.Span).ShouldBe("X-Test: 1\r\n");
        message.Headers[2].Offset.ShouldBe("Received: a\r\nX-Test: 1\r\n".Length);
    }

    [Fact]
    public void RawUtf8HeaderIsDecodedAsUtf8()
    {
        MimeMessage message = Eml.Parse("Subject: Grüße 日本\n\n");

        message.Subject.ShouldBe("Grüße 日本");
        message.DefectKinds().ShouldNotContain(MimeDefectKind.InvalidUtf8Header);
    }

    [Fact]
    public void EightBitHeaderThatIsNotUtf8FallsBackToWindows1252WithDefect()
    {
        byte[] bytes = [.. "Subject: Fr"u8, 0xF6, .. "sche "u8, 0x80, .. "\r\n\r\n"u8];

        MimeMessage message = MimeParser.Parse(bytes);

        message.Subject.ShouldBe("Frösche €");
        message.DefectKinds().ShouldContain(MimeDefectKind.InvalidUtf8Header);
    }

    [Fact]
    public void DuplicateFromIsFlaggedAndFromListsBoth()
    {
        MimeMessage message = Eml.Parse("From: a@example.com\nFrom: b@evil.test\n\n");

        message.From.Mailboxes.Select(m => m.Address).ShouldBe(["a@example.com", "b@evil.test"]);
        message.Defects.ShouldContain(d => d.Kind == MimeDefectKind.DuplicateHeader && d.Message.StartsWith("From", StringComparison.Ordinal));
    }

    [Fact]
    public void DuplicateContentTypeUsesTheLastAndIsFlagged()
    {
        MimeMessage message = Eml.Parse("Content-Type: text/html\nContent-Type: text/plain\n\nx");

        message.Body.ContentType.MimeType.ShouldBe("text/plain");
        message.Body.Defects.ShouldContain(d => d.Kind == MimeDefectKind.DuplicateHeader);
    }

    [Fact]
    public void EachRepeatedContentHeaderIsFlaggedWhereItIsReadAndTheLastOneWins()
    {
        // Defects come in the order the fields are read (type, encoding, disposition), each with what its parsing
        // found right after it; names match whatever their case.
        MimeMessage message = Eml.Parse("""
            content-disposition: inline
            Content-Type: text/html; charset=
            X-Content-Type: image/png
            Content-Transfer-Encoding: base64
            CONTENT-TYPE: text/plain; charset
            Content-Disposition: attachment; filename=a.txt

            eA==
            """);

        MimePart body = message.Body.ShouldBeAssignableTo<MimePart>()!;
        body.ContentType.MimeType.ShouldBe("text/plain");
        body.ContentTransferEncoding.ShouldBe(ContentEncoding.Base64);
        body.ContentDisposition!.Disposition.ShouldBe("attachment");
        body.FileName.ShouldBe("a.txt");
        body.Defects.Select(d => $"{d.Kind}@{d.Offset}").ShouldBe([
            $"{MimeDefectKind.DuplicateHeader}@{Offset(message, "CONTENT-TYPE")}",
            $"{MimeDefectKind.InvalidParameter}@{Offset(message, "CONTENT-TYPE")}",
            $"{MimeDefectKind.DuplicateHeader}@{Offset(message, "Content-Disposition")}",
        ]);

        static long Offset(MimeMessage message, string field) => message.Headers.Last(h => h.Field == field).Offset;
    }

    [Fact]
    public void IsMatchesExactlyTheNamesEqualIgnoringCase()
    {
        // Is compares lengths before the case-insensitive comparison; that must never change which names match.
        string[] fieldPieces = ["a", "A", "-", "s", "S", "k", "K", "ss", "i", "I"];
        string[] namePieces = [.. fieldPieces, "\u017F", "\u212A", "\u00DF", "\u0130", "\u0131", "\uD801\uDC00", "\uD801\uDC28"];
        Prop.ForAll(
            Gen.Elements(fieldPieces).NonEmptyListOf().Select(string.Concat).ToArbitrary(),
            Gen.Elements(namePieces).ListOf().Select(string.Concat).ToArbitrary(),
            (field, name) =>
            {
                Header header = Eml.Parse($"{field}: v\n\n").Headers.Single();
                return !header.IsInvalid && header.Field == field
                    && header.Is(name) == string.Equals(field, name, StringComparison.OrdinalIgnoreCase)
                    && header.Is(field.ToLowerInvariant()) && header.Is(field.ToUpperInvariant());
            }).Check(Config.QuickThrowOnFailure.WithMaxTest(2000));
    }

    [Fact]
    public void NonHeaderLineFollowedByBodyTextEndsTheHeaderBlock()
    {
        MimeMessage message = Eml.Parse("Subject: s\nthis is body text\nmore body\n");

        message.Headers.Count.ShouldBe(1);
        message.TextBody.ShouldBe("this is body text\r\nmore body\r\n");
        message.Body.Defects.Single().Kind.ShouldBe(MimeDefectKind.MissingHeaderBodySeparator);
    }

    [Fact]
    public void StrayLineBetweenHeadersIsKeptAsInvalidHeaderAndLaterHeadersStillCount()
    {
        MimeMessage message = Eml.Parse("From: a@example.com\ngarbage line\nSubject: hidden from strict parsers\n\nbody");

        message.Subject.ShouldBe("hidden from strict parsers");
        message.Headers[1].IsInvalid.ShouldBeTrue();
        message.Headers[1].RawValue.ShouldBe("garbage line");
        message.Headers.Find("garbage line").ShouldBeNull();
        message.Body.Defects.ShouldContain(d => d.Kind == MimeDefectKind.InvalidHeaderLine);
    }

    [Fact]
    public void MboxFromLineAndBomBeforeHeadersAreKeptAsPrologue()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. Eml.Bytes("From sender@example.com Mon Jan  1 00:00:00 2024\nSubject: s\n\nbody")];

        MimeMessage message = MimeParser.Parse(bytes);

        message.Subject.ShouldBe("s");
        message.RawPrologue.Length.ShouldBe(3 + "From sender@example.com Mon Jan  1 00:00:00 2024\r\n".Length);
        message.DefectKinds().ShouldContain(MimeDefectKind.GarbageBeforeHeaders);
        Eml.RoundTrip(message).ShouldBe(bytes);
    }

    [Fact]
    public void LfOnlyMessageParsesLikeCrlf()
    {
        MimeMessage message = Eml.Parse("Subject: s\nContent-Type: text/plain\n\nline1\nline2", crlf: false);

        message.Subject.ShouldBe("s");
        message.TextBody.ShouldBe("line1\nline2");
    }

    [Fact]
    public void MessageIdAndContentIdLoseTheirAngleBrackets()
    {
        MimeMessage message = Eml.Parse("Message-ID:  <abc@example.com> \nContent-ID: <part1@x>\n\n");

        message.MessageId.ShouldBe("abc@example.com");
        message.Body.ContentId.ShouldBe("part1@x");
    }

    [Fact]
    public void ALineIsAHeaderExactlyWhenItsNameBeforeTheColonIsPrintableAsciiWithoutSpace()
    {
        // The reference rule, byte by byte: the name up to the first colon, spaces and tabs before the colon dropped,
        // must be non-empty and every byte '!' to '~'. The parser checks it with a vectorised search.
        string[] pieces = ["a", "Subject", "-", "~", "!", " ", "\t", "  ", ":", "\u007f", "\u0001", "\u00e9", "\u00a0", "x y", "(", "\u0080"];
        Prop.ForAll(
            Gen.Elements(pieces).ListOf().Select(string.Concat).ToArbitrary(),
            name =>
            {
                string line = "N" + name + ": value";
                Header second = Eml.Parse($"X-First: 1\n{line}\nX-Last: 2\n\nbody").Headers[1];
                byte[] bytes = Encoding.UTF8.GetBytes(line);
                int colon = bytes.AsSpan().IndexOf((byte)':');
                ReadOnlySpan<byte> field = bytes.AsSpan(0, colon).TrimEnd(" \t"u8);
                bool isHeader = !field.IsEmpty && !field.ToArray().Any(b => b is <= 32 or >= 127);
                return isHeader
                    ? !second.IsInvalid && second.Field == Encoding.ASCII.GetString(field) && second.Value == line[(line.IndexOf(':') + 1)..].Trim()
                    : second.IsInvalid && second.RawValue == line;
            }).Check(Config.QuickThrowOnFailure.WithMaxTest(2000));
    }

    [Fact]
    public void EnumeratingAHeaderListGivesEveryHeaderInOrderAsIndexingDoes()
    {
        HeaderList headers = Eml.Parse("A: 1\nB: 2\nA: 3\n\nbody").Headers;
        List<string> enumerated = [];
        foreach (Header header in headers)
        {
            enumerated.Add(header.ToString());
        }

        enumerated.ShouldBe(["A: 1", "B: 2", "A: 3"]);
        headers.Select(h => h.ToString()).ShouldBe(enumerated);
        Enumerable.Range(0, headers.Count).Select(i => headers[i].ToString()).ShouldBe(enumerated);
        headers.FindAll("a").Select(h => h.Value).ShouldBe(["1", "3"]);
        foreach (Header header in Eml.Parse("\nbody").Headers)
        {
            header.ShouldBeNull("a message without headers enumerates none");
        }
    }

    [Fact]
    public void MessageAndContentIdsLoseWhiteSpaceAndBracketsAsStringTrimmingDid()
    {
        // The reference is the string expression the span version replaced.
        string[] pieces = ["<", ">", " ", "\u00a0", "abc", "@", "x.example", "<<", ">>", "\t"];
        Prop.ForAll(
            Gen.Elements(pieces).ListOf().Select(string.Concat).ToArbitrary(),
            value =>
            {
                string? expected = value.Trim().Trim('<', '>').Trim() is { Length: > 0 } id ? id : null;
                MimeMessage message = Eml.Parse($"Message-ID:{value}\nContent-ID:{value}\n\n");
                return message.MessageId == expected && message.Body.ContentId == expected && Header.Unbracketed(value) == expected;
            }).Check(Config.QuickThrowOnFailure.WithMaxTest(1000));
        Header.Unbracketed(null).ShouldBeNull();
    }

    [Fact]
    public void HeaderWithSpaceBeforeColonIsAccepted()
    {
        MimeMessage message = Eml.Parse("Subject : spaced\n\n");

        message.Subject.ShouldBe("spaced");
    }

    [Fact]
    public void FromHeaderWithSpaceBeforeColonIsNotAnMboxLine()
    {
        MimeMessage message = Eml.Parse("From : a@example.com\nSubject: s\n\n");

        message.RawPrologue.IsEmpty.ShouldBeTrue();
        message.From.Mailboxes.Single().Address.ShouldBe("a@example.com");
    }
}
