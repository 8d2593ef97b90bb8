using ChatOpsBot.Analysis.EmailForensics;
using ChatOpsBot.Analysis.EmailForensics.Headers;
using ChatOpsBot.Analysis.Common;

namespace ChatOpsBot.Analysis.Tests.EmailForensics.Report;

public class HeaderFindingsTests
{
    private static readonly AuthenticationSummary s_allPass = new()
    {
        Source = "authentication-results",
        Spf = new AuthCheck("pass", "shop.example", "smtp.mailfrom", null),
        Dkim = [new AuthCheck("pass", "shop.example", "header.d", null)],
        Dmarc = new AuthCheck("pass", "shop.example", "header.from", null),
    };

    private static List<string> Codes(EmailAddressInfo from, AuthenticationSummary? auth = null, IReadOnlyList<EmailAddressInfo>? replyTo = null, string? returnPath = null) =>
        HeaderFindings.Evaluate(new SenderFacts(from, null, replyTo ?? [], returnPath, auth ?? s_allPass, []))
            .Select(f => f.Code).ToList();

    [Fact]
    public void AlignedAuthenticatedSenderHasNoFindings() =>
        Codes(new EmailAddressInfo("Shop", "news@shop.example"), returnPath: "<bounce@mail.shop.example>").ShouldBeEmpty();

    [Fact]
    public void DmarcSpfAndCompauthFailuresAreFindings()
    {
        var auth = new AuthenticationSummary
        {
            Source = "authentication-results",
            Spf = new AuthCheck("fail", "evil.test", "smtp.mailfrom", null),
            Dmarc = new AuthCheck("fail", "bank.example", "header.from", null),
            Compauth = new AuthCheck("fail", null, null, "000"),
        };

        Codes(new EmailAddressInfo("Bank", "alerts@bank.example"), auth).ShouldBe(["dmarc_fail", "spf_fail", "compauth_fail"]);
    }

    [Fact]
    public void ReplyToInAnotherDomainIsFlagged() =>
        Codes(new EmailAddressInfo(null, "ceo@corp.test"), replyTo: [new EmailAddressInfo(null, "ceo.private@gmail.com")]).ShouldContain("reply_to_mismatch");

    [Fact]
    public void ReplyToInTheSameOrganisationIsNotFlagged() =>
        Codes(new EmailAddressInfo(null, "news@shop.example"), replyTo: [new EmailAddressInfo(null, "support@help.shop.example")]).ShouldNotContain("reply_to_mismatch");

    [Fact]
    public void DisplayNameShowingAnotherAddressIsSpoofing() =>
        Codes(new EmailAddressInfo("ceo@corp.test", "x93@mailer.evil.test")).ShouldContain("display_name_spoof");

    [Fact]
    public void BrandDisplayNameOnFreemailWithDomainInLocalPart()
    {
        List<string> codes = Codes(new EmailAddressInfo("Amazon", "billingservices.amazon.com@gmail.com"));

        codes.ShouldContain("display_name_brand_mismatch");
        codes.ShouldContain("local_part_domain");
    }

    [Theory]
    [InlineData("trackingupdates@deliver-fedex.com", "fedex")]
    [InlineData("no-reply@abuse-twitter.com", "twitter")]
    [InlineData("service@paypa1.com", "paypal")]
    [InlineData("security@rnicrosoft.com", "microsoft")]
    public void LookalikeSenderDomainNamesTheImitatedBrand(string address, string brand)
    {
        Finding finding = HeaderFindings.Evaluate(new SenderFacts(new EmailAddressInfo(null, address), null, [], null, s_allPass, []))
            .Single(f => f.Code == "lookalike_sender_domain");

        finding.Severity.ShouldBe(FindingSeverity.High);
        finding.Reason.ShouldContain(brand);
    }

    [Theory]
    [InlineData("Amazón Support", "amazon")]
    [InlineData("PAYPAL Billing", "paypal")]
    public void DisplayNameBrandIsRecognisedWithAccentsAndInAnyCase(string displayName, string brand)
    {
        Finding finding = HeaderFindings.Evaluate(new SenderFacts(new EmailAddressInfo(displayName, "billing@evil.test"), null, [], null, s_allPass, []))
            .Single(f => f.Code == "display_name_brand_mismatch");

        finding.Reason.ShouldContain(brand);
    }

    [Fact]
    public void PunycodeSenderDomainIsFlaggedAndDecoded()
    {
        List<Finding> findings = HeaderFindings.Evaluate(new SenderFacts(new EmailAddressInfo("Robinhood", "support@xn--robnhood-e2a.com"), null, [], null, s_allPass, [])).ToList();

        findings.ShouldContain(f => f.Code == "idn_sender_domain" && f.Reason.Contains("robínhood.com (xn--robnhood-e2a.com)", StringComparison.Ordinal));
        findings.ShouldContain(f => f.Code == "lookalike_sender_domain");
    }

    [Fact]
    public void GenuineBrandDomainIsNotALookalike() =>
        Codes(new EmailAddressInfo("PayPal", "service@mail.paypal.com")).ShouldBeEmpty();

    [Theory]
    [InlineData("joshkamdjou90@gmail.com", "Urgent: Need W2s", true)]
    [InlineData("ceo.private@outlook.com", "Quick wire transfer today", true)]
    [InlineData("friend@gmail.com", "Photos from the weekend", false)]
    [InlineData("billing@vendor.example", "Invoice 4711 overdue", false)]
    public void FreemailSenderWithAnUrgentPaymentSubjectIsTheCeoFraudPattern(string address, string subject, bool expected)
    {
        bool raised = HeaderFindings.Evaluate(new SenderFacts(new EmailAddressInfo("Joshua Kamdjou", address), null, [], null, s_allPass, [], subject))
            .Any(f => f.Code == "freemail_urgent_request");

        raised.ShouldBe(expected);
    }

    [Fact]
    public void MissingAuthenticationIsRecordedAsInformationOnly()
    {
        Finding finding = HeaderFindings.Evaluate(new SenderFacts(new EmailAddressInfo(null, "a@b.test"), null, [], null, new AuthenticationSummary { Source = "none" }, []))
            .ShouldHaveSingleItem();

        finding.Code.ShouldBe("auth_results_missing");
        finding.Severity.ShouldBe(FindingSeverity.Info);
    }
}
