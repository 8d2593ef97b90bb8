using ChatOpsBot.Analysis.Impersonation;

namespace ChatOpsBot.Analysis.Tests.Impersonation;

public class LookalikeDomainsTests
{
    [Theory]
    [InlineData("corq.com", "corp.com")] // one substitution
    [InlineData("ccorp.com", "corp.com")] // one insertion
    [InlineData("cor.com", "corp.com")] // one deletion
    [InlineData("crop.com", "corp.com")] // one transposition: 0.875 with Damerau, 0.75 with plain Levenshtein
    [InlineData("corp.con", "corp.com")] // the seed's own example of a typo in the TLD
    [InlineData("abxdeyfgh.com", "abcdefgh.com")] // two edits in 13 characters: similarity 0.846
    [InlineData("abxdyf.com", "abcdef.com")] // two edits in 10 characters: similarity exactly 0.8, the threshold
    public void OneOrTwoEditsOnALongEnoughDomainIsSimilar(string sender, string vip)
    {
        DomainLookalike? lookalike = Compare(sender, vip);

        lookalike.ShouldNotBeNull();
        lookalike.Similarity.ShouldBeGreaterThanOrEqualTo(LookalikeDomains.MinSimilarity);
        lookalike.Evidence.ShouldContain("edit");
    }

    [Theory]
    [InlineData("axcye.com", "abcde.com")] // two edits in 9 characters: similarity 0.778, below the threshold
    [InlineData("abxdexghiy.com", "abcdefghij.com")] // three edits
    [InlineData("google.com", "corp.com")] // unrelated
    [InlineData("gmail.com", "corp.com")]
    [InlineData("example.org", "corp.com")]
    [InlineData("corp.com", "corp.com")] // identical is the VIP's domain, not a look-alike
    [InlineData("CORP.COM.", "corp.com")] // identical after case and trailing dot
    [InlineData("mail.corp.com", "corp.com")] // a subdomain belongs to the VIP's organisation
    [InlineData("uk.corp.com", "us.corp.com")] // siblings under the same registrable domain
    [InlineData("[192.0.2.1]", "corp.com")] // a domain literal has no name to imitate
    public void UnrelatedOrOwnDomainsAreNotSimilar(string sender, string vip)
    {
        Compare(sender, vip).ShouldBeNull();
    }

    [Theory]
    [InlineData("xn--crp-sed.com", "corp.com", "c\u043Erp.com")] // Cyrillic о, sent as punycode
    [InlineData("c\u043Erp.com", "corp.com", "c\u043Erp.com")] // the same, sent as Unicode
    [InlineData("xn--pypal-4ve.com", "paypal.com", "p\u0430ypal.com")] // Cyrillic а
    [InlineData("xn--crp-sna.com", "corp.com", "c\u00F6rp.com")] // ö
    [InlineData("rnicrosoft.com", "microsoft.com", "rnicrosoft.com")]
    [InlineData("vvidget.com", "widget.com", "vvidget.com")]
    [InlineData("c0rp.com", "corp.com", "c0rp.com")]
    [InlineData("paypa1.com", "paypal.com", "paypa1.com")]
    public void HomoglyphDomainsHaveTheVipDomainsSkeleton(string sender, string vip, string decoded)
    {
        DomainName senderDomain = DomainName.TryCreate(sender).ShouldNotBeNull();
        senderDomain.Unicode.ShouldBe(decoded);

        DomainLookalike lookalike = LookalikeDomains.Compare(senderDomain, DomainName.TryCreate(vip)!).ShouldNotBeNull();

        lookalike.Similarity.ShouldBe(1.0);
        lookalike.Evidence.ShouldContain("same visual skeleton");
    }

    [Theory]
    [InlineData("corp.net", "corp.com", "under another suffix")]
    [InlineData("corp.co.uk", "corp.com", "under another suffix")]
    [InlineData("mail.c\u043Erp.net", "corp.com", "under another suffix")]
    [InlineData("corpp.net", "corp.com", "1 edit from 'corp'")]
    [InlineData("corp-example.com", "corp.example", "written as one label")]
    [InlineData("corpexample.net", "corp.example", "written as one label")]
    [InlineData("corp-com.net", "corp.com", "written as one label")]
    [InlineData("corp.com.evil.net", "corp.com", "begins with the VIP domain")]
    [InlineData("corp.com-secure.net", "corp.com", "begins with the VIP domain")]
    public void RegistrableNamesAreComparedAcrossSuffixes(string sender, string vip, string rule)
    {
        DomainLookalike lookalike = Compare(sender, vip).ShouldNotBeNull();

        lookalike.Evidence.ShouldContain(rule);
    }

    [Theory]
    [InlineData("carp.net", "corp.com")] // label one edit away but only 4 letters: similarity 0.75
    [InlineData("corporate.net", "corp.com")] // a longer word that contains the name
    public void ShortOrContainingLabelsUnderAnotherSuffixAreNotSimilar(string sender, string vip)
    {
        Compare(sender, vip).ShouldBeNull();
    }

    [Theory]
    [InlineData("Corp.COM.", "corp.com", "corp.com", "corp.com")]
    [InlineData("XN--CRP-SED.COM", "xn--crp-sed.com", "xn--crp-sed.com", "c\u043Erp.com")]
    [InlineData("c\u043Erp.com", "c\u043Erp.com", "xn--crp-sed.com", "c\u043Erp.com")]
    [InlineData("xn--zz.com", "xn--zz.com", "xn--zz.com", "xn--zz.com")] // not valid punycode: compared as written
    public void DomainNamesKeepWrittenAsciiAndDecodedForms(string raw, string text, string ascii, string unicode)
    {
        DomainName domain = DomainName.TryCreate(raw).ShouldNotBeNull();

        domain.Text.ShouldBe(text);
        domain.Ascii.ShouldBe(ascii);
        domain.Unicode.ShouldBe(unicode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("corp..com")]
    [InlineData("corp com")]
    [InlineData("corp.com/path")]
    [InlineData("@corp.com")]
    [InlineData("jane@corp.com")]
    public void MalformedDomainsAreRejected(string raw)
    {
        DomainName.TryCreate(raw).ShouldBeNull();
    }

    [Theory]
    [InlineData("mail.corp.co.uk", "corp", "corp.co.uk")]
    [InlineData("corp.com", "corp", "corp.com")]
    [InlineData("a.b.corp.com", "corp", "corp.com")]
    [InlineData("localhost", "localhost", "localhost")]
    public void RegistrablePartSkipsKnownTwoLabelSuffixes(string raw, string label, string registrable)
    {
        DomainName domain = DomainName.TryCreate(raw)!;

        domain.RegistrableLabel.ShouldBe(label);
        domain.RegistrableDomainAscii.ShouldBe(registrable);
    }

    private static DomainLookalike? Compare(string sender, string vip) =>
        LookalikeDomains.Compare(DomainName.TryCreate(sender)!, DomainName.TryCreate(vip)!);
}
