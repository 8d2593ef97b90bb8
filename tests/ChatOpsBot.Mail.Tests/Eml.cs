using System.Text;
using ChatOpsBot.Mail;

namespace ChatOpsBot.Mail.Tests;

/// <summary>Hand-written fixtures: LF in the source becomes CRLF on the wire unless a test needs otherwise.</summary>
internal static class Eml
{
    public static byte[] Bytes(string text, bool crlf = true) =>
        Encoding.UTF8.GetBytes(crlf ? text.ReplaceLineEndings("\r\n") : text.ReplaceLineEndings("\n"));

    public static MimeMessage Parse(string text, MimeParserOptions? options = null, bool crlf = true) =>
        MimeParser.Parse(Bytes(text, crlf), options);

    public static byte[] RoundTrip(MimeMessage message)
    {
        using MemoryStream output = new();
        message.WriteTo(output);
        return output.ToArray();
    }

    public static IEnumerable<MimeDefectKind> DefectKinds(this MimeMessage message) => message.EnumerateAllDefects().Select(d => d.Kind);
}
