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
    /// <remarks>
    /// The markup is read in place through a read-only source, which the tokenizer scans a run at a time; a
    /// <see cref="TextSource"/> made from the string would first copy it into a <see cref="System.Text.StringBuilder"/>
    /// and hand it out one character at a time. That writable source reads U+FFFF (the tokenizer's end-of-file mark)
    /// as U+FFFD and the read-only one does not, so the replacement is made here: a U+FFFF in hostile markup must not
    /// end the tokens early. <c>HtmlTokensTests</c> holds both sources to the same tokens.
    /// The caller disposes the tokenizer once done with its tokens: it rents a buffer as long as the markup from the
    /// shared array pool (token text lives there) and gives it back only then; left undisposed, every tokenizer made
    /// the pool allocate a new one.
    /// </remarks>
    public static HtmlTokenizer Create(string html) =>
        new(new TextSource(new ReadOnlyMemoryTextSource(html.Replace('\uFFFF', '\uFFFD'))), HtmlEntityProvider.Resolver)
        {
            DisableElementPositionTracking = true,
        };
}
