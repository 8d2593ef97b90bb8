namespace ChatOpsBot.Analysis.EmailForensics.Links;

/// <summary>Where in the message a URL was found.</summary>
public enum UrlSource
{
    PlainText,
    HtmlHref,
    HtmlSrc,
    HtmlFormAction,

    /// <summary>A header value handed in by the caller, e.g. List-Unsubscribe.</summary>
    Header,

    /// <summary>Text of the HTML body (including inline scripts) that names a URL without linking it.</summary>
    HtmlText,

    /// <summary>The <c>background</c> attribute of body/table/cell elements.</summary>
    HtmlBackground,

    /// <summary><c>&lt;meta http-equiv="refresh" content="0; url=…"&gt;</c>.</summary>
    HtmlMetaRefresh,
}
