using System.Buffers;

namespace ChatOpsBot.Mail;

/// <summary>
/// The characters <see cref="char.IsWhiteSpace(char)"/> accepts, for vectorised searches that must stop exactly where
/// a loop testing each character with it would (a test checks the list against the runtime).
/// </summary>
internal static class WhiteSpace
{
    public const string Chars = "\t\n\v\f\r \u0085\u00A0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u2028\u2029\u202F\u205F\u3000";

    /// <summary>White space, '/' or ';': where a Content-Type's media type ends.</summary>
    public static readonly SearchValues<char> OrSlashOrSemicolon = SearchValues.Create(Chars + "/;");

    /// <summary>White space, ';' or '(': where a Content-Type's subtype ends.</summary>
    public static readonly SearchValues<char> OrSemicolonOrParenthesis = SearchValues.Create(Chars + ";(");

    /// <summary>White space or ';': where a Content-Disposition's type ends.</summary>
    public static readonly SearchValues<char> OrSemicolon = SearchValues.Create(Chars + ";");
}
