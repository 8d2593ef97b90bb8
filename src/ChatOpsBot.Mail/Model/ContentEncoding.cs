namespace ChatOpsBot.Mail;

/// <summary>A Content-Transfer-Encoding.</summary>
public enum ContentEncoding
{
    /// <summary>No Content-Transfer-Encoding header (7bit is implied).</summary>
    Default,

    /// <summary><c>7bit</c>.</summary>
    SevenBit,

    /// <summary><c>8bit</c>.</summary>
    EightBit,

    /// <summary><c>binary</c>.</summary>
    Binary,

    /// <summary><c>base64</c>.</summary>
    Base64,

    /// <summary><c>quoted-printable</c>.</summary>
    QuotedPrintable,

    /// <summary><c>x-uuencode</c>, <c>uuencode</c>, <c>x-uue</c>.</summary>
    UuEncode,

    /// <summary>Anything else; the content is passed through undecoded.</summary>
    Unknown,
}
