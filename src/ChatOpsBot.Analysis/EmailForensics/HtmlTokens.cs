using AngleSharp.Html;
using AngleSharp.Html.Parser;
using AngleSharp.Text;

namespace ChatOpsBot.Analysis.EmailForensics;

/// <summary>The one way the analysis tokenizes HTML (AngleSharp's tokenizer, never its tree builder).</summary>
internal static class HtmlTokens
{
    /// <summary>
    /// A tokenizer over <paramref name="html"/>. Nothing here reports where in the markup a token was, so line and
    /// column tracking (a stack push per character read) is switched off; the tokens themselves are unchanged.
    /// </summary>
    public static HtmlTokenizer Create(string html) =>
        new(new TextSource(html), HtmlEntityProvider.Resolver) { DisableElementPositionTracking = true };
}
