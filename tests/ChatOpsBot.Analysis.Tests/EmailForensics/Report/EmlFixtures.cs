using System.Text;

namespace ChatOpsBot.Analysis.Tests.EmailForensics.Report;

/// <summary>Hand-written messages shaped like real mail, for analyzer tests that must run without ../shared.</summary>
internal static class EmlFixtures
{
    public static byte[] Bytes(string eml) => Encoding.UTF8.GetBytes(eml.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal));

    /// <summary>A marketing mail that authenticates and aligns: SPF, DKIM and DMARC pass for shop.example.</summary>
    public const string Newsletter = """
        Received: from mx.corp.test (mx.corp.test [10.0.0.5]) by mailbox.corp.test with ESMTPS id 77; Mon, 8 Jan 2024 09:00:03 +0000
        Authentication-Results: mx.corp.test; spf=pass smtp.mailfrom=bounce.shop.example; dkim=pass header.d=shop.example header.i=@shop.example; dmarc=pass header.from=shop.example
        Received: from out.shop.example (out.shop.example [198.51.100.20]) by mx.corp.test with ESMTPS id 42; Mon, 8 Jan 2024 09:00:01 +0000
        Return-Path: <bounce-123@bounce.shop.example>
        From: Shop News <news@shop.example>
        To: alice@corp.test
        Subject: Our winter sale starts today
        Date: Mon, 8 Jan 2024 09:00:00 +0000
        Message-ID: <sale-2024@shop.example>
        MIME-Version: 1.0
        Content-Type: multipart/alternative; boundary="b1"

        --b1
        Content-Type: text/plain; charset=utf-8

        Winter sale: https://www.shop.example/sale
        --b1
        Content-Type: text/html; charset=utf-8

        <html><body><p>Winter sale!</p><a href="https://www.shop.example/sale">See the sale</a>
        <a href="https://www.shop.example/unsubscribe">Unsubscribe</a></body></html>
        --b1--
        """;

    /// <summary>A credential phish: DMARC and SPF fail, Reply-To elsewhere, a link whose text shows another host.</summary>
    public const string CredentialPhish = """
        Received: from relay.evil.test (relay.evil.test [203.0.113.66]) by mx.corp.test with ESMTP id 99; Tue, 9 Jan 2024 10:00:05 +0000
        Authentication-Results: mx.corp.test; spf=fail smtp.mailfrom=evil.test; dkim=none; dmarc=fail (p=reject) header.from=corp.test
        Received: from laptop (unknown [192.168.1.20]) by relay.evil.test with ESMTPSA id 1; Tue, 9 Jan 2024 10:00:00 +0000
        Authentication-Results: mx.corp.test; spf=pass smtp.mailfrom=corp.test; dkim=pass header.d=corp.test; dmarc=pass header.from=corp.test
        Return-Path: <x@evil.test>
        From: "IT Helpdesk" <helpdesk@corp.test>
        Reply-To: helpdesk@evil.test
        To: alice@corp.test
        Subject: Your password expires today
        Date: Tue, 9 Jan 2024 10:00:00 +0000
        Message-ID: <p1@evil.test>
        MIME-Version: 1.0
        Content-Type: text/html; charset=utf-8

        <p>Keep your password: <a href="https://login.evil.test/o365">https://login.microsoftonline.com/</a></p>
        """;

    /// <summary>Alice forwards <see cref="CredentialPhish"/> as a message/rfc822 attachment.</summary>
    public static string ForwardAsAttachment(string inner, string transferEncoding = "7bit", string contentType = "message/rfc822", string fileName = "phish.eml")
    {
        string body = transferEncoding == "base64"
            ? Convert.ToBase64String(Bytes(inner), Base64FormattingOptions.InsertLineBreaks)
            : inner;
        return $"""
            Received: from mailbox.corp.test by mx.corp.test; Wed, 10 Jan 2024 08:00:00 +0000
            Authentication-Results: mx.corp.test; spf=pass smtp.mailfrom=corp.test; dkim=pass header.d=corp.test; dmarc=pass header.from=corp.test
            From: Alice <alice@corp.test>
            To: soc@corp.test
            Subject: Fwd: Your password expires today
            Date: Wed, 10 Jan 2024 08:00:00 +0000
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="outer"

            --outer
            Content-Type: text/plain

            Please check this.
            --outer
            Content-Type: {contentType}; name="{fileName}"
            Content-Disposition: attachment; filename="{fileName}"
            Content-Transfer-Encoding: {transferEncoding}

            {body}
            --outer--
            """;
    }

    /// <summary>Bob forwards a phish inline from Gmail; his own signature link comes before the marker.</summary>
    public const string GmailInlineForward = """
        Received: from mail-sor-f41.google.com (mail-sor-f41.google.com [209.85.220.41]) by mx.corp.test with ESMTPS; Wed, 10 Jan 2024 08:00:00 +0000
        Authentication-Results: mx.corp.test; spf=pass smtp.mailfrom=gmail.com; dkim=pass header.d=gmail.com; dmarc=pass header.from=gmail.com
        From: Bob <bob@gmail.com>
        To: soc@corp.test
        Subject: Fwd: Parcel on hold
        Date: Wed, 10 Jan 2024 08:00:00 +0000
        MIME-Version: 1.0
        Content-Type: text/plain; charset=utf-8

        Looks fishy. -- Bob, https://bob.example/blog

        ---------- Forwarded message ---------
        From: DHL Express <noreply@dhl-parcel.test>
        Date: Tue, Jan 9, 2024 at 4:12 PM
        Subject: Parcel on hold
        To: <bob@gmail.com>


        Pay the customs fee at https://dhl-parcel.test/fee
        """;

    /// <summary>An Outlook inline forward that quotes only text: nothing to check.</summary>
    public const string OutlookInlineForwardTextOnly = """
        From: Carol <carol@corp.test>
        To: soc@corp.test
        Subject: FW: Call me
        Date: Wed, 10 Jan 2024 08:00:00 +0000
        MIME-Version: 1.0
        Content-Type: text/plain; charset=utf-8

        Is this legit?

        -----Original Message-----
        From: Dave <dave.ceo@gmail.com>
        Sent: Tuesday, January 9, 2024 4:12 PM
        To: Carol <carol@corp.test>
        Subject: Call me

        Are you at your desk? I need a quick favour.
        """;
}
