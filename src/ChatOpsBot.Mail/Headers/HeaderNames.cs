using System.Text;

namespace ChatOpsBot.Mail;

/// <summary>
/// Field names as strings without allocating one per header for the names nearly every message repeats. A cached
/// name is returned only when the bytes spell it exactly (same case), so <see cref="Header.Field"/> is unchanged.
/// </summary>
internal static class HeaderNames
{
    private static readonly string[] s_common =
    [
        "Received", "From", "To", "Cc", "Bcc", "Subject", "Date", "Sender", "Reply-To", "Return-Path",
        "Message-ID", "Message-Id", "In-Reply-To", "References", "MIME-Version", "Mime-Version",
        "Content-Type", "Content-Transfer-Encoding", "Content-Disposition", "Content-ID", "Content-Id",
        "Content-Description", "Content-Language", "Accept-Language", "Delivered-To", "X-Received",
        "DKIM-Signature", "Authentication-Results", "ARC-Seal", "ARC-Message-Signature", "ARC-Authentication-Results",
        "Received-SPF", "X-Mailer", "User-Agent", "X-Originating-IP", "X-Google-DKIM-Signature", "X-Google-Smtp-Source",
        "X-Gm-Message-State", "Thread-Topic", "Thread-Index", "X-MS-Has-Attach", "X-MS-TNEF-Correlator",
        "List-Unsubscribe", "X-Priority", "Importance", "Precedence", "X-Spam-Status", "X-Spam-Score", "X-Spam-Flag",
        "Content-type", "content-type", "Content-Location", "Content-Length", "Content-length", "X-MimeOLE",
        "X-MSMail-Priority", "X-Sender", "X-Accept-Language", "X-Original-To", "X-Virus-Scanned", "Auto-Submitted",
        "Organization", "DomainKey-Signature", "X-UIDL", "List-Id", "List-Unsubscribe-Post", "Feedback-ID",
        "X-MS-Exchange-Organization-SCL", "X-Originating-Ip", "Errors-To", "X-Mailer-Version",
    ];

    private static readonly string[][] s_byLength = Build();

    /// <summary>The field name for ASCII bytes (the parser has checked they are printable ASCII).</summary>
    public static string Get(ReadOnlySpan<byte> name)
    {
        if (name.Length < s_byLength.Length)
        {
            // Most lengths hold several names; the first letter rules out nearly all but the one to compare.
            foreach (string candidate in s_byLength[name.Length])
            {
                if (candidate[0] == name[0] && Ascii.Equals(name, candidate))
                {
                    return candidate;
                }
            }
        }

        return Charsets.AsciiString(name);
    }

    private static string[][] Build()
    {
        int longest = s_common.Max(n => n.Length);
        var byLength = new string[longest + 1][];
        for (int length = 0; length <= longest; length++)
        {
            byLength[length] = s_common.Where(n => n.Length == length).ToArray();
        }

        return byLength;
    }
}
