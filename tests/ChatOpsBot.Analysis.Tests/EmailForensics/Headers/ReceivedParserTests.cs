using ChatOpsBot.Analysis.EmailForensics.Headers;
using FsCheck;
using FsCheck.Fluent;

namespace ChatOpsBot.Analysis.Tests.EmailForensics.Headers;

public class ReceivedParserTests
{
    [Fact]
    public void PostfixHopGivesHeloReverseDnsIpProtocolAndTime()
    {
        ReceivedHop hop = ReceivedParser.Parse(
            "from mail.example.org (mail.example.org [203.0.113.5])\r\n\tby mx.corp.test (Postfix) with ESMTPS id 4AbCdE\r\n\tfor <alice@corp.test>; Tue, 2 Jan 2024 10:15:30 +0100 (CET)");

        hop.FromHost.ShouldBe("mail.example.org");
        hop.FromReverseDns.ShouldBe("mail.example.org");
        hop.FromIp.ShouldBe("203.0.113.5");
        hop.ByHost.ShouldBe("mx.corp.test");
        hop.Protocol.ShouldBe("ESMTPS");
        hop.Id.ShouldBe("4AbCdE");
        hop.For.ShouldBe("alice@corp.test");
        hop.Timestamp.ShouldBe(new DateTimeOffset(2024, 1, 2, 10, 15, 30, TimeSpan.FromHours(1)));
    }

    [Fact]
    public void ExchangeOnlineHopReadsIpv6InParentheses()
    {
        ReceivedHop hop = ReceivedParser.Parse(
            "from BN6PR11MB1234.namprd11.prod.outlook.com (2603:10b6:404:bb::17) by SN6PR11MB5678.namprd11.prod.outlook.com (2603:10b6:805:cf::12) with Microsoft SMTP Server (version=TLS1_2, cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.6500.12; Wed, 3 Jan 2024 08:00:01 +0000");

        hop.FromHost.ShouldBe("BN6PR11MB1234.namprd11.prod.outlook.com");
        hop.FromIp.ShouldBe("2603:10b6:404:bb::17");
        hop.ByHost.ShouldBe("SN6PR11MB5678.namprd11.prod.outlook.com");
        hop.ByIp.ShouldBe("2603:10b6:805:cf::12");
        hop.Protocol.ShouldBe("Microsoft SMTP Server");
        hop.Id.ShouldBe("15.20.6500.12");
        hop.Timestamp.ShouldBe(new DateTimeOffset(2024, 1, 3, 8, 0, 1, TimeSpan.Zero));
    }

    [Fact]
    public void GmailHopWithIpv6ByHostAndNoFromClause()
    {
        ReceivedHop hop = ReceivedParser.Parse("by 2002:a2e:8ed9:0:0:0:0:0 with SMTP id e25csp2040006ljl;\r\n        Sun, 15 Mar 2020 14:55:07 -0700 (PDT)");

        hop.FromHost.ShouldBeNull();
        hop.FromIp.ShouldBeNull();
        hop.ByIp.ShouldBe("2002:a2e:8ed9::");
        hop.Protocol.ShouldBe("SMTP");
        hop.Timestamp.ShouldBe(new DateTimeOffset(2020, 3, 15, 14, 55, 7, TimeSpan.FromHours(-7)));
    }

    [Fact]
    public void GmailApiHopWithoutDateOrIpStillNamesHosts()
    {
        ReceivedHop hop = ReceivedParser.Parse("from 421484249706\n\tnamed unknown\n\tby gmailapi.google.com\n\twith HTTPREST;\n\tSun, 15 Mar 2020 17:55:07 -0400");

        hop.FromHost.ShouldBe("421484249706");
        hop.FromIp.ShouldBeNull();
        hop.ByHost.ShouldBe("gmailapi.google.com");
        hop.Protocol.ShouldBe("HTTPREST");
        hop.Timestamp.ShouldNotBeNull();
    }

    [Fact]
    public void QmailHopReadsHeloAndBareIpComment()
    {
        ReceivedHop hop = ReceivedParser.Parse("from unknown (HELO mail.sender.test) (198.51.100.23)\n  by mx.example.net with SMTP; 4 Jan 2024 12:00:00 -0000");

        hop.FromHost.ShouldBe("mail.sender.test");
        hop.FromIp.ShouldBe("198.51.100.23");
        hop.ByHost.ShouldBe("mx.example.net");
        hop.Timestamp.ShouldBe(new DateTimeOffset(2024, 1, 4, 12, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void QmailInvokedCommentHasOnlyATime()
    {
        ReceivedHop hop = ReceivedParser.Parse("(qmail 12345 invoked by uid 89); 4 Jan 2024 11:59:58 -0000");

        hop.FromHost.ShouldBeNull();
        hop.ByHost.ShouldBeNull();
        hop.Timestamp.ShouldBe(new DateTimeOffset(2024, 1, 4, 11, 59, 58, TimeSpan.Zero));
    }

    [Fact]
    public void SendmailHopWithHeloCommentAndBracketIp()
    {
        ReceivedHop hop = ReceivedParser.Parse("from helo.example.com (rdns.example.com [192.0.2.44] (may be forged))\n\tby relay.example.net (8.14.4/8.14.4) with ESMTP id x04CG2aB012345\n\tfor <bob@example.net>; Thu, 4 Jan 2024 12:16:02 GMT");

        hop.FromHost.ShouldBe("helo.example.com");
        hop.FromReverseDns.ShouldBe("rdns.example.com");
        hop.FromIp.ShouldBe("192.0.2.44");
        hop.ByHost.ShouldBe("relay.example.net");
        hop.Protocol.ShouldBe("ESMTP");
        hop.For.ShouldBe("bob@example.net");
    }

    [Fact]
    public void EximHopWithIpLiteralHostTakesHeloName()
    {
        ReceivedHop hop = ReceivedParser.Parse("from [IPv6:2001:db8::25] (helo=laptop.local)\n\tby smtp.example.org with esmtpsa (TLS1.3) (Exim 4.96) (envelope-from <a@example.org>) id 1rLx2Q-000ABC-By; Fri, 05 Jan 2024 09:00:00 +0000");

        hop.FromIp.ShouldBe("2001:db8::25");
        hop.FromHost.ShouldBe("laptop.local");
        hop.Protocol.ShouldBe("esmtpsa");
        hop.Id.ShouldBe("1rLx2Q-000ABC-By");
    }

    [Fact]
    public void SendGridDateWithoutSemicolonIsStillRead()
    {
        ReceivedHop hop = ReceivedParser.Parse("by filter0123p1mdw1.sendgrid.net with SMTP id filter0123p1mdw1-1234-5F0A Sat, 06 Jan 2024 10:00:00 +0000 (UTC)");

        hop.ByHost.ShouldBe("filter0123p1mdw1.sendgrid.net");
        hop.Timestamp.ShouldBe(new DateTimeOffset(2024, 1, 6, 10, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void RedactedHopKeepsRawTextAndNullParts()
    {
        ReceivedHop hop = ReceivedParser.Parse("from [REDACTED] by [REDACTED]");

        hop.FromIp.ShouldBeNull();
        hop.Timestamp.ShouldBeNull();
        hop.Raw.ShouldBe("from [REDACTED] by [REDACTED]");
    }

    [Fact]
    public void ChainIsOldestFirstWithSignedDelays()
    {
        IReadOnlyList<ReceivedHop> hops = ReceivedParser.ParseChain(
        [
            "from b.test ([198.51.100.2]) by c.test with ESMTP; Mon, 1 Jan 2024 10:00:30 +0000",
            "from a.test ([198.51.100.1]) by b.test with ESMTP; Mon, 1 Jan 2024 10:00:00 +0000",
        ]);

        hops.Select(h => h.ByHost).ShouldBe(["b.test", "c.test"]);
        hops.Select(h => h.Hop).ShouldBe([1, 2]);
        hops[0].DelaySeconds.ShouldBeNull();
        hops[1].DelaySeconds.ShouldBe(30);
        hops[1].ClockSkew.ShouldBeFalse();
    }

    [Fact]
    public void HopStampedBeforeItsPredecessorIsClockSkewNotADayLongDelay()
    {
        IReadOnlyList<ReceivedHop> hops = ReceivedParser.ParseChain(
        [
            "from b.test by c.test; Mon, 1 Jan 2024 09:59:25 +0000",
            "from a.test by b.test; Mon, 1 Jan 2024 10:00:00 +0000",
        ]);

        hops[1].DelaySeconds.ShouldBe(-35);
        hops[1].ClockSkew.ShouldBeTrue();
    }

    [Fact]
    public void DelaySkipsHopsWithoutTimestamps()
    {
        IReadOnlyList<ReceivedHop> hops = ReceivedParser.ParseChain(
        [
            "from c.test by d.test; Mon, 1 Jan 2024 10:02:00 +0000",
            "from b.test by c.test",
            "from a.test by b.test; Mon, 1 Jan 2024 10:00:00 +0000",
        ]);

        hops[1].DelaySeconds.ShouldBeNull();
        hops[2].DelaySeconds.ShouldBe(120);
    }

    [Fact]
    public void ArbitraryTextNeverThrowsKeepsTheUnfoldedTextAndYieldsOnlyRealAddresses()
    {
        Prop.ForAll<string>(text =>
        {
            text ??= string.Empty;
            ReceivedHop hop = ReceivedParser.Parse(text);
            return hop.Raw == ReceivedParser.Unfold(text)
                && (hop.FromIp is null || System.Net.IPAddress.TryParse(hop.FromIp, out _))
                && (hop.ByIp is null || System.Net.IPAddress.TryParse(hop.ByIp, out _));
        }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [InlineData("from a\r\n\tby b", "from a by b")]
    [InlineData("  from  a  ", "from a")]
    [InlineData("from\u00a0\u2003a", "from a")]
    [InlineData("from a", "from a")]
    [InlineData(" \t\r\n ", "")]
    public void UnfoldCollapsesEveryWhiteSpaceRunToOneSpaceAndTrims(string folded, string expected) =>
        ReceivedParser.Unfold(folded).ShouldBe(expected);

    [Fact]
    public void UnfoldAgreesWithAWhiteSpaceRunReplacement()
    {
        Gen<string> texts = Gen.Choose(0, 20)
            .SelectMany(n => Gen.ArrayOf(Gen.Elements("ab \t\r\n\u00a0\u2003\u0085\u200b;(".ToCharArray()), n))
            .Select(cs => new string(cs));

        Check.One(
            Config.QuickThrowOnFailure.WithMaxTest(5_000),
            Prop.ForAll(texts.ToArbitrary(), text =>
                ReceivedParser.Unfold(text) == System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ").Trim()));
    }
}
