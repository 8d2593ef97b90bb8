using ChatOpsBot.Analysis.Impersonation;
using FsCheck;
using FsCheck.Fluent;

namespace ChatOpsBot.Analysis.Tests.Impersonation;

public class MailboxParserTests
{
    [Theory]
    [InlineData("ceo@corp.com", "", "ceo@corp.com")]
    [InlineData("  ceo@corp.com  ", "", "ceo@corp.com")]
    [InlineData("<ceo@corp.com>", "", "ceo@corp.com")]
    [InlineData("Boss <ceo@corp.com>", "Boss", "ceo@corp.com")]
    [InlineData("\"Boss\" <ceo@corp.com>", "Boss", "ceo@corp.com")]
    [InlineData("\"Doe, Jane\" <jane@corp.com>", "Doe, Jane", "jane@corp.com")]
    [InlineData("\"Jane \\\"JD\\\" Doe\" <jane@corp.com>", "Jane \"JD\" Doe", "jane@corp.com")]
    [InlineData("jane@corp.com (Jane Doe)", "Jane Doe", "jane@corp.com")]
    [InlineData("Jane (CEO) Doe <jane@corp.com>", "Jane Doe", "jane@corp.com")]
    [InlineData("Jane Doe <jane@corp.com> (via relay)", "Jane Doe", "jane@corp.com")]
    [InlineData("<@relay.example:jane@corp.com>", "", "jane@corp.com")]
    [InlineData("\"jane doe\"@corp.com", "", "\"jane doe\"@corp.com")]
    [InlineData("\"a@b\"@corp.com", "", "\"a@b\"@corp.com")]
    [InlineData("jane@CORP.com.", "", "jane@corp.com")]
    [InlineData("jane@[192.0.2.1]", "", "jane@[192.0.2.1]")]
    [InlineData("j\u00F6rg@b\u00FCcher.example", "", "j\u00F6rg@b\u00FCcher.example")]
    public void ReadsOneMailbox(string text, string displayName, string address)
    {
        ParsedMailbox mailbox = MailboxParser.TryParseSingle(text).ShouldNotBeNull();

        mailbox.DisplayName.ShouldBe(displayName);
        mailbox.Address.ShouldBe(address);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("Jane Doe")]
    [InlineData("jane")]
    [InlineData("jane@")]
    [InlineData("@corp.com")]
    [InlineData("jane@@corp.com")]
    [InlineData("jane doe@corp.com")]
    [InlineData("jane@corp .com")]
    [InlineData("jane@corp..com")]
    [InlineData("<jane@corp.com")]
    [InlineData("jane@corp.com>")]
    [InlineData("Jane <jane@corp.com> <other@corp.com>")]
    [InlineData("Jane <jane@corp.com> trailing")]
    [InlineData("\"unterminated <jane@corp.com>")]
    [InlineData("jane@corp.com (unterminated")]
    [InlineData("jane@corp.com, other@corp.com")] // a From holds exactly one mailbox
    [InlineData("undisclosed-recipients:;")]
    public void RejectsWhatIsNotExactlyOneMailbox(string text)
    {
        MailboxParser.TryParseSingle(text).ShouldBeNull();
    }

    [Fact]
    public void ReadsListsAndGroups()
    {
        IReadOnlyList<ParsedMailbox> list = MailboxParser.TryParseList("a@x.com, \"B, b\" <b@y.com>; Team: c@z.com, d@z.com;").ShouldNotBeNull();

        list.Select(m => m.Address).ShouldBe(["a@x.com", "b@y.com", "c@z.com", "d@z.com"]);
        list[1].DisplayName.ShouldBe("B, b");
    }

    [Fact]
    public void ListWithOneBadMailboxIsRejected()
    {
        MailboxParser.TryParseList("a@x.com, not an address").ShouldBeNull();
    }

    [Theory]
    [InlineData("\"Boss\" <ceo@corp.com>", "CEO@Corp.com")]
    [InlineData("ceo@corp.com", "ceo@CORP.COM.")]
    [InlineData("\"ceo\"@corp.com", "ceo@corp.com")]
    [InlineData("ceo@corp.com (Chief)", "<CEO@corp.com>")]
    [InlineData("ceo@xn--crp-sed.com", "ceo@c\u043Erp.com")] // punycode and Unicode spellings of one domain
    public void KeysIgnoreCaseDisplayNamesCommentsAndNeedlessQuotes(string first, string second)
    {
        MailboxParser.TryParseSingle(first)!.Key.ShouldBe(MailboxParser.TryParseSingle(second)!.Key);
    }

    [Theory]
    [InlineData("ceo@corp.com", "ceo@corp.co")]
    [InlineData("ceo@corp.com", "cfo@corp.com")]
    [InlineData("\"c eo\"@corp.com", "ceo@corp.com")]
    public void KeysOfDifferentAddressesDiffer(string first, string second)
    {
        MailboxParser.TryParseSingle(first)!.Key.ShouldNotBe(MailboxParser.TryParseSingle(second)!.Key);
    }

    [Fact]
    public void ArbitraryHeaderTextNeverThrows()
    {
        Gen<string> headerText = Gen.Choose(0, 30)
            .SelectMany(n => Gen.ArrayOf(Gen.Elements("aZ0.@<>\"(),;:[]\\ \t\u0430\u0301\uD800\uDC00".ToCharArray()), n))
            .Select(cs => new string(cs));

        Check.One(
            Config.QuickThrowOnFailure.WithMaxTest(20_000),
            Prop.ForAll(headerText.ToArbitrary(), text =>
            {
                IReadOnlyList<ParsedMailbox>? list = MailboxParser.TryParseList(text);
                return list is null || list.All(m => m.Key.Contains('@', StringComparison.Ordinal));
            }));
    }
}
