using ChatOpsBot.Analysis.EmailForensics.Headers;

namespace ChatOpsBot.Analysis.Tests.EmailForensics.Headers;

public class AuthenticationEvaluatorTests
{
    private static KeyValuePair<string, string> H(string name, string value) => new(name, value);

    [Fact]
    public void GmailResultsGiveEachVerdictWithItsDomain()
    {
        AuthenticationSummary auth = AuthenticationEvaluator.Evaluate(
        [
            H("Received", "from mail-sor-f41.google.com by mx.google.com; Mon, 1 Jan 2024 10:00:00 +0000"),
            H("Authentication-Results", "mx.google.com;\r\n       dkim=pass header.i=@gmail.com header.s=20161025 header.b=ehHYOeNl;\r\n       spf=pass (google.com: domain of x@gmail.com designates 209.85.220.41 as permitted sender) smtp.mailfrom=x@gmail.com;\r\n       dmarc=pass (p=NONE sp=QUARANTINE dis=NONE) header.from=gmail.com"),
        ]);

        auth.Source.ShouldBe("authentication-results");
        auth.TrustedAuthservId.ShouldBe("mx.google.com");
        auth.Spf.ShouldBe(new AuthCheck("pass", "gmail.com", "smtp.mailfrom", "google.com: domain of x@gmail.com designates 209.85.220.41 as permitted sender"));
        auth.Dkim.ShouldHaveSingleItem().ShouldBe(new AuthCheck("pass", "gmail.com", "header.i", null));
        auth.Dmarc!.Result.ShouldBe("pass");
        auth.Dmarc.Domain.ShouldBe("gmail.com");
    }

    [Fact]
    public void ExchangeOnlineResultsWithoutAuthservIdIncludeCompauth()
    {
        AuthenticationSummary auth = AuthenticationEvaluator.Evaluate(
        [
            H("Authentication-Results", "spf=fail (sender IP is 203.0.113.9)\r\n smtp.mailfrom=evil.test; dkim=none (message not signed)\r\n header.d=none;dmarc=fail action=oreject\r\n header.from=bank.example;compauth=fail reason=000"),
        ]);

        auth.TrustedAuthservId.ShouldBeNull();
        auth.Spf!.Result.ShouldBe("fail");
        auth.Spf.Domain.ShouldBe("evil.test");
        auth.Dkim.ShouldHaveSingleItem().Domain.ShouldBeNull();
        auth.Dmarc.ShouldBe(new AuthCheck("fail", "bank.example", "header.from", null));
        auth.Compauth.ShouldBe(new AuthCheck("fail", null, null, "000"));
    }

    [Fact]
    public void ForgedPassLowerInTheHeadersDoesNotOverrideTheReceiversFail()
    {
        AuthenticationSummary auth = AuthenticationEvaluator.Evaluate(
        [
            H("Received", "from relay.evil.test ([203.0.113.9]) by mx.corp.test; Mon, 1 Jan 2024 10:00:05 +0000"),
            H("Authentication-Results", "mx.corp.test; spf=fail smtp.mailfrom=evil.test; dkim=none; dmarc=fail header.from=bank.example"),
            H("Received", "from laptop by relay.evil.test; Mon, 1 Jan 2024 10:00:00 +0000"),
            H("Authentication-Results", "mx.corp.test; spf=pass smtp.mailfrom=bank.example; dkim=pass header.d=bank.example; dmarc=pass header.from=bank.example"),
        ]);

        auth.Dmarc!.Result.ShouldBe("fail");
        auth.Spf!.Result.ShouldBe("fail");
        auth.Trusted.ShouldHaveSingleItem().Position.ShouldBe(1);
        auth.Ignored.ShouldHaveSingleItem().Position.ShouldBe(3);
        auth.Conflicts.Count.ShouldBe(3);
        auth.Conflicts.ShouldContain(c => c.StartsWith("dmarc=pass", StringComparison.Ordinal));
    }

    [Fact]
    public void ConfiguredAuthservIdSkipsAForgedTopmostHeader()
    {
        AuthenticationSummary auth = AuthenticationEvaluator.Evaluate(
        [
            H("Authentication-Results", "attacker.test; dmarc=pass header.from=bank.example"),
            H("Authentication-Results", "mx.corp.test; dmarc=fail header.from=bank.example"),
        ],
        ["mx.corp.test"]);

        auth.TrustedAuthservId.ShouldBe("mx.corp.test");
        auth.Dmarc!.Result.ShouldBe("fail");
    }

    [Fact]
    public void SplitResultsFromTheSameReceiverAreBothTrusted()
    {
        AuthenticationSummary auth = AuthenticationEvaluator.Evaluate(
        [
            H("Authentication-Results", "mx.corp.test; spf=pass smtp.mailfrom=shop.example"),
            H("Authentication-Results", "mx.corp.test; dkim=pass header.d=shop.example"),
            H("Received", "from out.shop.example by mx.corp.test; Mon, 1 Jan 2024 10:00:05 +0000"),
        ]);

        auth.Trusted.Count.ShouldBe(2);
        auth.Spf!.Result.ShouldBe("pass");
        auth.Dkim.ShouldHaveSingleItem().Result.ShouldBe("pass");
    }

    [Fact]
    public void ReceivedSpfIsTheFallbackWhenNoAuthenticationResultsExist()
    {
        AuthenticationSummary auth = AuthenticationEvaluator.Evaluate(
        [
            H("Received-SPF", "softfail (mx.corp.test: domain of transitioning a@shop.example does not designate 203.0.113.9 as permitted sender) client-ip=203.0.113.9; envelope-from=a@shop.example; helo=out.shop.example;"),
        ]);

        auth.Source.ShouldBe("received-spf");
        auth.Spf!.Result.ShouldBe("softfail");
        auth.Spf.Domain.ShouldBe("shop.example");
        auth.Dmarc.ShouldBeNull();
    }

    [Fact]
    public void ArcResultsAreReportedButNotTrusted()
    {
        AuthenticationSummary auth = AuthenticationEvaluator.Evaluate(
        [
            H("ARC-Authentication-Results", "i=1; mx.google.com; dkim=pass header.i=@shop.example; spf=pass smtp.mailfrom=shop.example"),
        ]);

        auth.Source.ShouldBe("none");
        auth.HasAnyResult.ShouldBeFalse();
        auth.Arc.ShouldHaveSingleItem().AuthservId.ShouldBe("mx.google.com");
        auth.Arc[0].Results.Select(r => r.Method).ShouldBe(["dkim", "spf"]);
    }

    [Fact]
    public void QuotedReasonAndCommentsAreKept()
    {
        AuthResultsHeader header = AuthenticationResultsParser.Parse("Authentication-Results", 0, "mx.test 1; dkim=fail reason=\"signature verification failed\" (bad sig) header.d=a.test header.s=s1");

        header.AuthservId.ShouldBe("mx.test");
        AuthMethodResult dkim = header.Results.ShouldHaveSingleItem();
        dkim.Reason.ShouldBe("signature verification failed");
        dkim.Comment.ShouldBe("bad sig");
        dkim.Properties["header.d"].ShouldBe("a.test");
    }
}
