using ChatOpsBot.Analysis.Impersonation;
using FsCheck;
using FsCheck.Fluent;

namespace ChatOpsBot.Analysis.Tests.Impersonation;

public class VipImpersonationCheckerTests
{
    private static readonly VipEntry[] s_vips = [new("Jane Doe", "corp.com"), new("John Smith", "corp.com")];

    // ---- Seed-compatible behaviour on ordinary input. The expected values below were produced by the seed
    // (python3 ../shared/tools/seed000/process.py --json vip-check ...) on the same VIP list and email.

    [Fact]
    public void SpoofedVipWithForeignDomainAndReplyToHitsDefaultPolicyLikeTheSeed()
    {
        ImpersonationCheckResult result = VipImpersonationChecker.Check(
            new SenderIdentity("Jane Doe", "jane.doe@gmail.com", "attacker@evil.com"), s_vips);

        // From the seed:
        result.FromDisplayName.ShouldBe("Jane Doe");
        result.FromEmail.ShouldBe("jane.doe@gmail.com");
        result.MatchedVip.ShouldBe("Jane Doe");
        result.Indicators.ShouldBe(
        [
            "Display name matches VIP: Jane Doe",
            "Email domain (gmail.com) differs from VIP domain (corp.com)",
            "Reply-To differs from From address",
        ]);
        result.HitCount.ShouldBe(3);
        result.IsImpersonation.ShouldBeTrue();
        result.Action.ShouldBe("QUARANTINE (Hit 3 - Default policy)");
    }

    [Fact]
    public void SpoofedVipWithForeignDomainHitsVipPolicyLikeTheSeed()
    {
        ImpersonationCheckResult result = VipImpersonationChecker.Check(new SenderIdentity("Jane Doe", "jane.doe@gmail.com"), s_vips);

        // From the seed:
        result.MatchedVip.ShouldBe("Jane Doe");
        result.Indicators.ShouldBe(["Display name matches VIP: Jane Doe", "Email domain (gmail.com) differs from VIP domain (corp.com)"]);
        result.HitCount.ShouldBe(2);
        result.IsImpersonation.ShouldBeTrue();
        result.Action.ShouldBe("QUARANTINE (Hit 1 - VIP policy)");
    }

    [Theory]
    [InlineData("Bob Builder", "bob@vendor.com", "")]
    [InlineData("Bob", "bob@vendor.com", "bob@vendor.com")]
    public void OrdinarySenderIsDeliveredLikeTheSeed(string displayName, string from, string replyTo)
    {
        ImpersonationCheckResult result = VipImpersonationChecker.Check(new SenderIdentity(displayName, from, replyTo), s_vips);

        // From the seed:
        result.MatchedVip.ShouldBe(string.Empty);
        result.Indicators.ShouldBeEmpty();
        result.HitCount.ShouldBe(0);
        result.IsImpersonation.ShouldBeFalse();
        result.Action.ShouldBe("DELIVER");
    }

    [Fact]
    public void TypoDomainWithoutVipNameIsOneHitAndDeliveredLikeTheSeed()
    {
        ImpersonationCheckResult result = VipImpersonationChecker.Check(
            new SenderIdentity("Accounts", "billing@corp.con"), [new VipEntry("Jane Doe", "corp.com")]);

        // From the seed:
        result.Indicators.ShouldBe(["Domain 'corp.con' is visually similar to 'corp.com'"]);
        result.HitCount.ShouldBe(1);
        result.IsImpersonation.ShouldBeFalse();
        result.Action.ShouldBe("DELIVER");
    }

    [Fact]
    public void VipNameFromLookalikeDomainHitsDefaultPolicyLikeTheSeed()
    {
        ImpersonationCheckResult result = VipImpersonationChecker.Check(
            new SenderIdentity("Jane Doe", "jane@c0rp.com"), [new VipEntry("Jane Doe", "corp.com")]);

        // From the seed:
        result.Indicators.ShouldBe(
        [
            "Display name matches VIP: Jane Doe",
            "Email domain (c0rp.com) differs from VIP domain (corp.com)",
            "Domain 'c0rp.com' is visually similar to 'corp.com'",
        ]);
        result.HitCount.ShouldBe(3);
        result.Action.ShouldBe("QUARANTINE (Hit 3 - Default policy)");
    }

    // ---- Defect 1: the domain mismatch belongs to the VIP whose name matched.

    [Fact]
    public void DomainMismatchIsReportedOnlyForTheVipWhoseNameMatched()
    {
        VipEntry[] vips = [new("Jane Doe", "corp.com"), new("John Smith", "other.com")];

        ImpersonationCheckResult result = VipImpersonationChecker.Check(new SenderIdentity("Jane Doe", "x@gmail.com"), vips);

        result.Indicators.ShouldBe(["Display name matches VIP: Jane Doe", "Email domain (gmail.com) differs from VIP domain (corp.com)"]);
        result.IndicatorDetails.Where(i => i.Kind == ImpersonationIndicatorKind.DomainMismatch).Select(i => i.VipName).ShouldBe(["Jane Doe"]);
    }

    [Fact]
    public void ForeignDomainWithoutVipNameIsNotAMismatch()
    {
        ImpersonationCheckResult result = VipImpersonationChecker.Check(new SenderIdentity("Newsletter", "news@gmail.com"), s_vips);

        result.HitCount.ShouldBe(0);
        result.Action.ShouldBe("DELIVER");
    }

    // ---- Defect 2: Reply-To compares addresses, not strings.

    [Theory]
    [InlineData("ceo@corp.com", "\"Boss\" <CEO@Corp.com>")]
    [InlineData("\"Boss\" <ceo@corp.com>", "CEO@Corp.com")]
    [InlineData("ceo@corp.com", "ceo@corp.com (Chief Executive)")]
    [InlineData("ceo@corp.com", "  <ceo@CORP.COM.>  ")]
    public void ReplyToWithTheSameAddressIsNoIndicator(string from, string replyTo)
    {
        ImpersonationCheckResult result = VipImpersonationChecker.Check(new SenderIdentity("Bob", from, replyTo), s_vips);

        result.Indicators.ShouldBeEmpty();
        result.Action.ShouldBe("DELIVER");
    }

    [Theory]
    [InlineData("ceo@corp.com", "ceo@corp.co")]
    [InlineData("ceo@corp.com", "\"Boss\" <ceo@evil.com>")]
    [InlineData("ceo@corp.com", "ceo@corp.com, payments@evil.com")] // replies go to both
    [InlineData("", "ceo@corp.com")] // no From to compare with: the seed's behaviour for a missing "from"
    public void ReplyToElsewhereIsOneHit(string from, string replyTo)
    {
        ImpersonationCheckResult result = VipImpersonationChecker.Check(new SenderIdentity("Bob", from, replyTo), s_vips);

        result.Indicators.ShouldBe(["Reply-To differs from From address"]);
        result.IndicatorDetails[0].Kind.ShouldBe(ImpersonationIndicatorKind.ReplyToMismatch);
    }

    [Fact]
    public void UnparseableReplyToIsAnExplicitIndicatorNotACrash()
    {
        ImpersonationCheckResult result = VipImpersonationChecker.Check(new SenderIdentity("Bob", "bob@vendor.com", "reply here please"), s_vips);

        result.Indicators.ShouldBe(["Reply-To (reply here please) is not a valid email address"]);
        result.IndicatorDetails[0].Kind.ShouldBe(ImpersonationIndicatorKind.InvalidReplyTo);
        result.HitCount.ShouldBe(1);
        result.Action.ShouldBe("DELIVER");
    }

    [Fact]
    public void UnparseableFromIsAnExplicitIndicatorAndSkipsDomainChecks()
    {
        ImpersonationCheckResult result = VipImpersonationChecker.Check(new SenderIdentity("Jane Doe", "Jane Doe (no address)"), s_vips);

        result.Indicators.ShouldBe(["From address (Jane Doe (no address)) is not a valid email address", "Display name matches VIP: Jane Doe"]);
        result.FromDomain.ShouldBe(string.Empty);
        result.Action.ShouldBe("QUARANTINE (Hit 1 - VIP policy)");
    }

    [Fact]
    public void EchoedValuesStayOnOneShortLine()
    {
        string hostile = "x\nFake line " + new string('a', 500);

        ImpersonationCheckResult result = VipImpersonationChecker.Check(new SenderIdentity("Bob", hostile), s_vips);

        result.Indicators[0].ShouldNotContain('\n');
        result.Indicators[0].Length.ShouldBeLessThan(300);
    }

    [Fact]
    public void IllFormedUnicodeAnywhereGivesAVerdictNotACrash()
    {
        ImpersonationCheckResult result = VipImpersonationChecker.Check(
            new SenderIdentity("Jane\uD800 Doe", "x@c\uDC00orp.com", "\uD800@corp.com"), [new VipEntry("Jane \uDFFFDoe", "corp.com")]);

        // A lone surrogate reads as U+FFFD, which separates words like any other symbol; echoed input prints it as U+FFFD.
        result.Indicators.ShouldBe(
        [
            "From address (x@c\uFFFDorp.com) is not a valid email address",
            "Display name matches VIP: Jane \uDFFFDoe",
            "Reply-To differs from From address",
        ]);
    }

    [Fact]
    public void DisplayNameInsideTheFromValueIsUsedWhenNoneIsGivenSeparately()
    {
        ImpersonationCheckResult result = VipImpersonationChecker.Check(new SenderIdentity(string.Empty, "\"Doe, Jane\" <jane@gmail.com>"), s_vips);

        result.MatchedVip.ShouldBe("Jane Doe");
        result.FromDisplayName.ShouldBe(string.Empty); // the output still echoes the input as given
        result.FromDomain.ShouldBe("gmail.com");
    }

    // ---- Defect 3: names match as whole words after normalisation.

    [Fact]
    public void ShortVipNameInsideALongerWordIsNoMatch()
    {
        // The seed matched "Al" inside "Alice Cooper" and quarantined (Hit 1 - VIP policy).
        ImpersonationCheckResult result = VipImpersonationChecker.Check(
            new SenderIdentity("Alice Cooper", "alice@partner.com"), [new VipEntry("Al", "corp.com")]);

        result.MatchedVip.ShouldBe(string.Empty);
        result.HitCount.ShouldBe(0);
        result.Action.ShouldBe("DELIVER");
    }

    [Theory]
    [InlineData("Doe, Jane")]
    [InlineData("JANE DOE (CEO)")]
    [InlineData("J\u00E1ne D\u00F6e")]
    [InlineData("\uFF2A\uFF41\uFF4E\uFF45 \uFF24\uFF4F\uFF45")]
    [InlineData("J\u0430ne Doe")] // Cyrillic а
    public void VariantSpellingsOfTheVipNameMatch(string displayName)
    {
        ImpersonationCheckResult result = VipImpersonationChecker.Check(new SenderIdentity(displayName, "x@gmail.com"), s_vips);

        result.MatchedVip.ShouldBe("Jane Doe");
        result.Indicators[0].ShouldBe("Display name matches VIP: Jane Doe");
    }

    [Fact]
    public void NormalizedDisplayNameShowsTheWordsThatWereCompared()
    {
        ImpersonationCheckResult result = VipImpersonationChecker.Check(new SenderIdentity("  J\u00C1NE   D\u00F6e (C\u0415O) ", "x@gmail.com"), s_vips);

        result.NormalizedDisplayName.ShouldBe("jane doe ceo");
    }

    [Fact]
    public void MostSpecificMatchingVipIsReported()
    {
        VipEntry[] vips = [new("Jane Doe", "corp.com"), new("Jane Doe Smith", "corp.com")];

        ImpersonationCheckResult result = VipImpersonationChecker.Check(new SenderIdentity("Jane Doe Smith", "x@gmail.com"), vips);

        result.MatchedVip.ShouldBe("Jane Doe Smith");
    }

    // ---- Defect 4: look-alike domains by edit distance, skeleton and punycode.

    [Fact]
    public void PunycodeHomoglyphDomainIsVisuallySimilar()
    {
        // The seed compared "xn--crp-sed.com" position by position with "corp.com" and saw nothing.
        ImpersonationCheckResult result = VipImpersonationChecker.Check(
            new SenderIdentity("Accounts", "billing@xn--crp-sed.com"), [new VipEntry("Jane Doe", "corp.com")]);

        result.Indicators.ShouldBe(["Domain 'xn--crp-sed.com' is visually similar to 'corp.com'"]);
        result.FromDomainUnicode.ShouldBe("c\u043Erp.com");
        ImpersonationIndicator detail = result.IndicatorDetails.ShouldHaveSingleItem();
        detail.Kind.ShouldBe(ImpersonationIndicatorKind.LookalikeDomain);
        detail.Similarity.ShouldBe(1.0);
        detail.Evidence.ShouldContain("decoded: 'c\u043Erp.com'");
    }

    [Fact]
    public void TransposedDomainIsVisuallySimilar()
    {
        // The seed's positional comparison scored "crop.com" 0.75 against "corp.com" and missed it.
        ImpersonationCheckResult result = VipImpersonationChecker.Check(
            new SenderIdentity("Accounts", "x@crop.com"), [new VipEntry("Jane Doe", "corp.com")]);

        result.Indicators.ShouldBe(["Domain 'crop.com' is visually similar to 'corp.com'"]);
        result.IndicatorDetails[0].Similarity.ShouldBe(0.875);
    }

    [Fact]
    public void LookalikeOfSeveralVipsAtOneDomainCountsOnce()
    {
        // The seed added the same indicator once per VIP: three VIPs at corp.com made it QUARANTINE (Hit 3).
        VipEntry[] vips = [new("Jane Doe", "corp.com"), new("John Smith", "corp.com"), new("Mary Major", "CORP.COM")];

        ImpersonationCheckResult result = VipImpersonationChecker.Check(new SenderIdentity("Accounts", "billing@corp.con"), vips);

        result.Indicators.ShouldBe(["Domain 'corp.con' is visually similar to 'corp.com'"]);
        result.HitCount.ShouldBe(1);
        result.Action.ShouldBe("DELIVER");
    }

    [Fact]
    public void LookalikesOfDifferentVipDomainsEachCount()
    {
        VipEntry[] vips = [new("Jane Doe", "corp.com"), new("John Smith", "corp.net")];

        ImpersonationCheckResult result = VipImpersonationChecker.Check(new SenderIdentity("Accounts", "ap@c0rp.com", "ap@evil.com"), vips);

        result.Indicators.ShouldBe(
        [
            "Domain 'c0rp.com' is visually similar to 'corp.com'",
            "Domain 'c0rp.com' is visually similar to 'corp.net'",
            "Reply-To differs from From address",
        ]);
        result.Action.ShouldBe("QUARANTINE (Hit 3 - Default policy)");
        result.IsImpersonation.ShouldBeTrue();
    }

    [Fact]
    public void AVipDomainIsNeverALookalikeOfAnotherVipDomain()
    {
        VipEntry[] vips = [new("Jane Doe", "corp.com"), new("Hans Meier", "corp.co.uk")];

        ImpersonationCheckResult result = VipImpersonationChecker.Check(new SenderIdentity("Jane Doe", "jane@corp.com"), vips);

        result.Indicators.ShouldBeEmpty();
        result.Action.ShouldBe("DELIVER");
    }

    // ---- Defect 5: the VIP's own mail is not an impersonation.

    [Theory]
    [InlineData("jane.doe@corp.com")]
    [InlineData("Jane.Doe@CORP.com")]
    [InlineData("jane@mail.corp.com")] // a subdomain is the VIP organisation's
    [InlineData("jane.doe@corp.com", "jane.doe@corp.com")]
    public void VipsOwnMailIsDelivered(string from, string replyTo = "")
    {
        ImpersonationCheckResult result = VipImpersonationChecker.Check(new SenderIdentity("Jane Doe", from, replyTo), s_vips);

        result.Indicators.ShouldBeEmpty();
        result.HitCount.ShouldBe(0);
        result.IsImpersonation.ShouldBeFalse();
        result.Action.ShouldBe("DELIVER");
        result.MatchedVip.ShouldBe("Jane Doe");
    }

    [Fact]
    public void VipsOwnDomainWithReplyToElsewhereIsStillQuarantined()
    {
        ImpersonationCheckResult result = VipImpersonationChecker.Check(new SenderIdentity("Jane Doe", "jane.doe@corp.com", "jane.doe.ceo@gmail.com"), s_vips);

        result.Indicators.ShouldBe(["Reply-To differs from From address"]);
        result.Action.ShouldBe("QUARANTINE (Hit 1 - VIP policy)");
    }

    [Fact]
    public void VipListedAtTwoDomainsOwnsMailFromEither()
    {
        VipEntry[] vips = [new("Jane Doe", "corp.com"), new("Doe, Jane", "corp.co.uk")];

        ImpersonationCheckResult result = VipImpersonationChecker.Check(new SenderIdentity("Jane Doe", "jane@corp.co.uk"), vips);

        result.Indicators.ShouldBeEmpty();
        result.Action.ShouldBe("DELIVER");
    }

    [Fact]
    public void VipWithoutDomainCountsTheNameMatch()
    {
        ImpersonationCheckResult result = VipImpersonationChecker.Check(new SenderIdentity("Jane Doe", "jane@corp.com"), [new VipEntry("Jane Doe")]);

        result.Indicators.ShouldBe(["Display name matches VIP: Jane Doe"]);
        result.Action.ShouldBe("QUARANTINE (Hit 1 - VIP policy)");
    }

    [Fact]
    public void EmptyVipListDeliversEverything()
    {
        ImpersonationCheckResult result = VipImpersonationChecker.Check(new SenderIdentity("Jane Doe", "jane@gmail.com"), []);

        result.HitCount.ShouldBe(0);
        result.Action.ShouldBe("DELIVER");
    }

    [Fact]
    public void ArbitraryTextAlwaysGetsAConsistentVerdict()
    {
        Gen<string> text = Gen.Choose(0, 24)
            .SelectMany(n => Gen.ArrayOf(Gen.Elements("aeoJD cm.-@<>\"(),;:[]0\u0430\u043E\u0301\u200B\uD800xn--".ToCharArray()), n))
            .Select(cs => new string(cs));
        Gen<(SenderIdentity Sender, VipEntry[] Vips)> cases =
            from display in text
            from address in text.Select(t => t + "@corp.com")
            from useRawFrom in Gen.Elements(true, false)
            from rawFrom in text
            from replyTo in text
            from names in Gen.ArrayOf(text, 3)
            from domains in Gen.ArrayOf(Gen.Elements("corp.com", "c0rp.com", "xn--crp-sed.com", "", "corp.co.uk"), 3)
            select (new SenderIdentity(display, useRawFrom ? rawFrom : address, replyTo), names.Zip(domains, (n, d) => new VipEntry(n, d)).ToArray());

        Check.One(
            Config.QuickThrowOnFailure.WithMaxTest(5_000),
            Prop.ForAll(cases.ToArbitrary(), c =>
            {
                ImpersonationCheckResult result = VipImpersonationChecker.Check(c.Sender, c.Vips);
                string expectedAction = result.HitCount >= 3
                    ? ImpersonationActions.QuarantineDefaultPolicy
                    : result.HitCount >= 1 && result.MatchedVip.Length > 0 ? ImpersonationActions.QuarantineVipPolicy : ImpersonationActions.Deliver;
                return result.HitCount == result.Indicators.Count
                    && result.Indicators.Distinct().Count() == result.Indicators.Count
                    && result.IndicatorDetails.Select(d => d.Text).SequenceEqual(result.Indicators)
                    && result.Action == expectedAction
                    && result.IsImpersonation == (expectedAction != ImpersonationActions.Deliver);
            }));
    }
}
