using ChatOpsBot.Mail;
using FsCheck;
using FsCheck.Fluent;

namespace ChatOpsBot.Mail.Tests;

public class AddressParserTests
{
    private static InternetAddressList To(string value) => Eml.Parse($"To: {value}\n\n").To;

    [Theory]
    [InlineData("\"Doe, John\" <john@example.com>", "Doe, John", "john@example.com")]
    [InlineData("John Q. Public <john@example.com>", "John Q. Public", "john@example.com")]
    [InlineData("john@example.com (John Doe)", "John Doe", "john@example.com")]
    [InlineData("john@example.com", null, "john@example.com")]
    [InlineData("<john@example.com>", null, "john@example.com")]
    [InlineData("=?UTF-8?Q?J=C3=B6rg?= <jorg@example.com>", "Jörg", "jorg@example.com")]
    [InlineData("\"=?UTF-8?Q?J=C3=B6rg?=\" <jorg@example.com>", "Jörg", "jorg@example.com")]
    [InlineData("John (the boss) Doe <john@example.com>", "John Doe", "john@example.com")]
    [InlineData("<@route1,@route2:john@example.com>", null, "john@example.com")]
    [InlineData("\"john doe\"@example.com", null, "\"john doe\"@example.com")]
    [InlineData("Jane <jane@example.com", "Jane", "jane@example.com")]
    public void ParsesTheMailboxFormsRealMailUses(string header, string? name, string address)
    {
        MailboxAddress mailbox = To(header).Mailboxes.Single();

        mailbox.Name.ShouldBe(name);
        mailbox.Address.ShouldBe(address);
    }

    [Fact]
    public void UnquotedCommaInDisplayNameJoinsTheNextAddressName()
    {
        InternetAddressList list = To("Doe, John <john@example.com>, jane@example.com");

        list.Mailboxes.Select(m => (m.Name, m.Address)).ShouldBe([("Doe, John", "john@example.com"), (null, "jane@example.com")]);
    }

    [Fact]
    public void GroupsKeepTheirMembersAndEmptyGroupsParse()
    {
        InternetAddressList list = To("Team: a@example.com, \"B\" <b@example.com>;, undisclosed-recipients:;, c@example.com");

        list.Count.ShouldBe(3);
        GroupAddress team = list[0].ShouldBeOfType<GroupAddress>();
        team.Name.ShouldBe("Team");
        team.Members.Mailboxes.Select(m => m.Address).ShouldBe(["a@example.com", "b@example.com"]);
        list[1].ShouldBeOfType<GroupAddress>().Members.Count.ShouldBe(0);
        list.Mailboxes.Select(m => m.Address).ShouldBe(["a@example.com", "b@example.com", "c@example.com"]);
    }

    [Fact]
    public void LocalPartAndDomainAreSplitAtTheLastAt()
    {
        MailboxAddress mailbox = To("Alice <alice.smith@Mail.Example.COM>").Mailboxes.Single();

        mailbox.LocalPart.ShouldBe("alice.smith");
        mailbox.Domain.ShouldBe("Mail.Example.COM");
    }

    [Fact]
    public void IdnDomainIsDecodedAndItsAsciiFormKept()
    {
        MailboxAddress mailbox = To("x@xn--bcher-kva.example").Mailboxes.Single();

        mailbox.Domain.ShouldBe("bücher.example");
        mailbox.AsciiDomain.ShouldBe("xn--bcher-kva.example");

        MailboxAddress unicode = To("x@bücher.example").Mailboxes.Single();
        unicode.AsciiDomain.ShouldBe("xn--bcher-kva.example");
    }

    [Fact]
    public void EncodedWordInLocalPartIsNotDecodedAndIsFlagged()
    {
        MimeMessage message = Eml.Parse("From: =?utf-8?q?admin=40bank.example?=@evil.test\n\n");

        message.From.Mailboxes.Single().Domain.ShouldBe("evil.test");
        message.From.Mailboxes.Single().LocalPart.ShouldBe("=?utf-8?q?admin=40bank.example?=");
        message.Defects.ShouldContain(d => d.Kind == MimeDefectKind.EncodedWordInAddress);
    }

    [Fact]
    public void NameWithoutAddressIsKeptAsNameWithDefect()
    {
        MimeMessage message = Eml.Parse("From: Whomever\n\n");

        MailboxAddress mailbox = message.From.Mailboxes.Single();
        mailbox.Name.ShouldBe("Whomever");
        mailbox.Domain.ShouldBeNull();
        message.Defects.ShouldContain(d => d.Kind == MimeDefectKind.InvalidAddress);
    }

    [Fact]
    public void DoubleAtIsSplitAtTheLastAtAndFlagged()
    {
        MimeMessage message = Eml.Parse("From: user@bank.example@evil.test\n\n");

        message.From.Mailboxes.Single().Domain.ShouldBe("evil.test");
        message.Defects.ShouldContain(d => d.Kind == MimeDefectKind.InvalidAddress);
    }

    [Fact]
    public void AtSignInQuotedDisplayNameDoesNotConfuseTheAddress()
    {
        MailboxAddress mailbox = To("\"support@bank.example\" <phish@evil.test>").Mailboxes.Single();

        mailbox.Name.ShouldBe("support@bank.example");
        mailbox.Address.ShouldBe("phish@evil.test");
    }

    [Fact]
    public void EscapedParenthesisInCommentDoesNotEndTheComment()
    {
        // RFC 5322 allows quoted pairs in comments: "\\)" does not close one, so the angle address inside is a comment.
        MailboxAddress withName = To("Bob (x\\) <evil@evil.test>) <good@bank.example>").Mailboxes.Single();
        MailboxAddress bare = To("good@bank.example (x\\) evil@evil.test)").Mailboxes.Single();

        withName.Address.ShouldBe("good@bank.example");
        withName.Name.ShouldBe("Bob");
        bare.Address.ShouldBe("good@bank.example");
    }

    [Fact]
    public void SenderAndReplyToAndCcAreParsed()
    {
        MimeMessage message = Eml.Parse("Sender: s@example.com\nReply-To: r@example.com\nCc: c@example.com\nBcc: b@example.com\n\n");

        message.Sender!.Address.ShouldBe("s@example.com");
        message.ReplyTo.Mailboxes.Single().Address.ShouldBe("r@example.com");
        message.Cc.Mailboxes.Single().Address.ShouldBe("c@example.com");
        message.Bcc.Mailboxes.Single().Address.ShouldBe("b@example.com");
    }

    [Fact]
    public void HostileDisplayNameFullOfCommentsParsesInLinearTime()
    {
        string name = string.Concat(Enumerable.Repeat("a()", 80_000));
        System.Diagnostics.Stopwatch watch = System.Diagnostics.Stopwatch.StartNew();

        MailboxAddress mailbox = To($"{name} <x@example.com>").Mailboxes.Single();

        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(2));
        mailbox.Name!.Length.ShouldBe(80_000);
    }

    [Fact]
    public void MessageAddressesAreTheParseOfTheUnfoldedRawValueShortOrLong()
    {
        // The message parses an ASCII header from its bytes (in a stack buffer up to 256 characters, a pooled one
        // beyond): the same addresses and defects as parsing the unfolded raw value as a string.
        string[] pieces = ["\"Doe, John\" <j@example.com>", "a@b.example (Name)", "Group: x@y.example;", "bad", "=?utf-8?q?J=C3=A9?= <je@example.com>", "\r\n\t"];
        Prop.ForAll(
            Gen.Elements(pieces).ArrayOf().Select(p => string.Join(", ", p)).ToArbitrary(),
            Gen.Choose(0, 400).ToArbitrary(),
            (list, padding) =>
            {
                string value = new string(' ', padding) + list;
                MimeMessage message = Eml.Parse($"To: {value}\nCc: caf\u00e9 <{list.Length}@example.com>, {value}\n\n");
                return Same(message, message.To, "To") && Same(message, message.Cc, "Cc");
            }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));

        static bool Same(MimeMessage message, InternetAddressList parsed, string field)
        {
            Header header = message.Headers.Find(field)!;
            List<InternetAddress> addresses = [];
            List<MimeDefect> defects = [];
            AddressParser.Parse(AddressParser.Unfold(header.RawValue), addresses, defects, header.Offset);
            return Show(parsed, message.Defects.Where(d => d.Offset == header.Offset)) == Show(new InternetAddressList(addresses), defects);
        }

        static string Show(InternetAddressList list, IEnumerable<MimeDefect> defects) =>
            string.Join("|", list.Mailboxes.Select(m => $"{m.Name}/{m.LocalPart}/{m.Domain}"))
            + "#" + string.Join("|", defects.Select(d => $"{d.Kind}@{d.Offset}:{d.Message}"));
    }

    [Fact]
    public void SpanParserGivesTheSameAddressesAndDefectsAsTheStringParserItReplaced()
    {
        string[] pieces =
        [
            "a", "john", "example.com", "@", "<", ">", ",", ";", ":", " ", "\t", "  ", "\"", "\"Doe, John\"", "\\", "(", ")",
            "(Name)", "(a (b) c)", ".", "..", "=?utf-8?q?J=C3=A9r=C3=B4me?=", "=?", "?=", "xn--bcher-kva.example", "b\u00fccher.de",
            "[192.0.2.1]", "@relay.example:", "group:", "undisclosed-recipients:;", "Doe", "John Q. Public",
            "\u00a0", "\u3000", "\r\n", "\"J\u00e9r\u00f4me \" ", "XN--BCHER-KVA.example", "a--b.example",
        ];
        Prop.ForAll(
            Gen.Elements(pieces).ArrayOf().Select(string.Concat).ToArbitrary(),
            text => Describe(text, AddressParser.Parse) == Describe(text, LegacyAddressParser.Parse))
            .Check(Config.QuickThrowOnFailure.WithMaxTest(5000));

        static string Describe(string text, Action<string, List<InternetAddress>, List<MimeDefect>, long> parse)
        {
            List<InternetAddress> addresses = [];
            List<MimeDefect> defects = [];
            parse(text, addresses, defects, 3);
            return string.Join("|", addresses.Select(Show)) + "#" + string.Join("|", defects.Select(d => $"{d.Kind}@{d.Offset}:{d.Message}"));
        }

        static string Show(InternetAddress address) => address switch
        {
            MailboxAddress m => $"M[{m.Name}][{m.LocalPart}][{m.Domain}][{m.AsciiDomain}][{m.Route}]",
            GroupAddress g => $"G[{g.Name}]({string.Join(",", g.Members.Select(Show))})",
            _ => "?",
        };
    }
}
