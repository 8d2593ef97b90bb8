using ChatOpsBot.Analysis.EmailForensics;
using FsCheck;
using FsCheck.Fluent;

namespace ChatOpsBot.Analysis.Tests.EmailForensics.Report;

public class InlineForwardDetectorTests
{
    [Fact]
    public void GmailForwardGivesQuotedHeadersAndTheTextAfterThem()
    {
        const string body = "Is this real?\n\n---------- Forwarded message ---------\nFrom: IT Support <helpdesk@evil.test>\nDate: Sun, Mar 15, 2020 at 2:55 PM\nSubject: Password expires today\nTo: <alice@corp.test>\n\n\nClick https://evil.test/login to keep your password.\n";

        InlineForward forward = InlineForwardDetector.Detect(body).ShouldNotBeNull();

        forward.Client.ShouldBe("gmail");
        forward.FromName.ShouldBe("IT Support");
        forward.FromAddress.ShouldBe("helpdesk@evil.test");
        forward.DateText.ShouldBe("Sun, Mar 15, 2020 at 2:55 PM");
        forward.Date!.Value.Date.ShouldBe(new DateTime(2020, 3, 15));
        forward.Subject.ShouldBe("Password expires today");
        forward.To.ShouldBe("<alice@corp.test>");
        forward.Body.ShouldStartWith("Click https://evil.test/login");
    }

    [Fact]
    public void OutlookOriginalMessageBlockWithSentLabel()
    {
        const string body = "FYI\r\n\r\n-----Original Message-----\r\nFrom: Payroll <payroll@evil.test>\r\nSent: Monday, January 8, 2024 9:12 AM\r\nTo: Alice <alice@corp.test>\r\nSubject: Update your bank details\r\n\r\nPlease update here.\r\n";

        InlineForward forward = InlineForwardDetector.Detect(body).ShouldNotBeNull();

        forward.Client.ShouldBe("outlook");
        forward.FromAddress.ShouldBe("payroll@evil.test");
        forward.DateText.ShouldBe("Monday, January 8, 2024 9:12 AM");
        forward.Subject.ShouldBe("Update your bank details");
        forward.Body.ShouldBe("Please update here.");
    }

    [Theory]
    [InlineData("Von: Buchhaltung <buha@evil.test>\nGesendet: Montag, 8. Januar 2024 09:12\nAn: Alice <alice@corp.test>\nBetreff: Rechnung offen", "WG: Rechnung offen", "Rechnung offen")]
    [InlineData("De : Comptabilité <compta@evil.test>\nEnvoyé : lundi 8 janvier 2024 09:12\nÀ : Alice <alice@corp.test>\nObjet : Facture impayée", "TR: Facture impayée", "Facture impayée")]
    [InlineData("Da: Amministrazione <amm@evil.test>\nInviato: lunedì 8 gennaio 2024 09:12\nA: Alice <alice@corp.test>\nOggetto: Fattura scaduta", "I: Fattura scaduta", "Fattura scaduta")]
    public void LocalisedOutlookBlockAfterAnUnderscoreRuleIsRecognised(string block, string outerSubject, string subject)
    {
        string body = $"Bitte prüfen.\n\n________________________________\n{block}\n\nText mit https://evil.test/pay\n";

        InlineForward forward = InlineForwardDetector.Detect(body, outerSubject).ShouldNotBeNull();

        forward.Client.ShouldBe("outlook");
        forward.Subject.ShouldBe(subject);
        forward.FromAddress.ShouldEndWith("@evil.test");
        forward.Body.ShouldContain("https://evil.test/pay");
    }

    [Fact]
    public void AppleMailBeginForwardedMessage()
    {
        const string body = "Sent from my iPhone\n\nBegin forwarded message:\n\n> From: \"DHL Express\" <noreply@dhl-parcel.test>\n> Date: 8 January 2024 at 09:12:00 CET\n> To: alice@corp.test\n> Subject: Parcel on hold\n> \n> Pay the customs fee at https://dhl-parcel.test/fee\n";

        InlineForward forward = InlineForwardDetector.Detect(body).ShouldNotBeNull();

        forward.Client.ShouldBe("apple_mail");
        forward.FromName.ShouldBe("DHL Express");
        forward.FromAddress.ShouldBe("noreply@dhl-parcel.test");
        forward.Subject.ShouldBe("Parcel on hold");
        forward.Body.ShouldContain("https://dhl-parcel.test/fee");
    }

    [Fact]
    public void ThunderbirdForwardedMessageSeparator()
    {
        const string body = "-------- Forwarded Message --------\nSubject: \tInvoice 4711\nDate: \tMon, 8 Jan 2024 09:12:00 +0100\nFrom: \tBilling <billing@evil.test>\nTo: \talice@corp.test\n\nSee attached.\n";

        InlineForward forward = InlineForwardDetector.Detect(body).ShouldNotBeNull();

        forward.Client.ShouldBe("thunderbird");
        forward.Date.ShouldBe(new DateTimeOffset(2024, 1, 8, 9, 12, 0, TimeSpan.FromHours(1)));
        forward.FromAddress.ShouldBe("billing@evil.test");
    }

    [Fact]
    public void QuotedReplyBlockIsNotAForwardWithoutAForwardSubject()
    {
        const string body = "Thanks, done.\n\nFrom: Bob <bob@corp.test>\nSent: Monday, January 8, 2024 9:12 AM\nTo: Alice <alice@corp.test>\nSubject: Lunch?\n\nShall we?\n";

        InlineForwardDetector.Detect(body, "RE: Lunch?").ShouldBeNull();
        InlineForwardDetector.Detect(body, "FW: Lunch?").ShouldNotBeNull();
    }

    [Fact]
    public void PlainMessageHasNoForward() =>
        InlineForwardDetector.Detect("Hello,\nthe meeting is at 10.\nFrom now on we meet weekly.\n").ShouldBeNull();

    /// <summary>The four marker comparisons the first-character check in front of them must not change.</summary>
    private static bool StartsWithAnyAppleMarker(string line) =>
        line.StartsWith("Begin forwarded message", StringComparison.OrdinalIgnoreCase)
        || line.StartsWith("Début du message réexpédié", StringComparison.OrdinalIgnoreCase)
        || line.StartsWith("Anfang der weitergeleiteten", StringComparison.OrdinalIgnoreCase)
        || line.StartsWith("Inizio messaggio inoltrato", StringComparison.OrdinalIgnoreCase);

    [Theory]
    [InlineData("Begin forwarded message:")]
    [InlineData("BEGIN FORWARDED MESSAGE:")]
    [InlineData("début du message réexpédié :")]
    [InlineData("ANFANG DER WEITERGELEITETEN Nachricht:")]
    [InlineData("ınizio messaggio inoltrato:")]
    [InlineData("Inizio messaggio inoltrato:")]
    [InlineData("Bonjour")]
    [InlineData("-----")]
    [InlineData("")]
    public void AppleMarkerCheckAgreesWithTheFourComparisons(string line) =>
        InlineForwardDetector.StartsWithAppleMarker(line).ShouldBe(StartsWithAnyAppleMarker(line));

    [Fact]
    public void AppleMarkerCheckAgreesWithTheFourComparisonsOnGeneratedLines()
    {
        Gen<string> starts = Gen.Elements("Begin", "bEGIN", "Début", "dÉbut", "Anfang", "Inizio", "ınizio", "İnizio", "x", "", " ", "-");
        Gen<string> rests = Gen.Elements(" forwarded message", " FORWARDED MESSAGE:", " du message réexpédié", " der weitergeleiteten", " messaggio inoltrato", "", "zz");
        Check.One(
            Config.QuickThrowOnFailure.WithMaxTest(2_000),
            Prop.ForAll(Gen.Zip(starts, rests).Select(p => p.Item1 + p.Item2).ToArbitrary(), line =>
                InlineForwardDetector.StartsWithAppleMarker(line) == StartsWithAnyAppleMarker(line)));
    }
}
