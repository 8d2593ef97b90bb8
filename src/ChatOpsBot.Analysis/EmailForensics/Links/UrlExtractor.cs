using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace ChatOpsBot.Analysis.EmailForensics.Links;

/// <summary>
/// Extracts the distinct URLs of a message body: from the plain-text part, from the HTML part (links, image/frame/script
/// sources, form actions, backgrounds, meta refresh, and URLs written in its text or inline scripts) and from header
/// values such as List-Unsubscribe. Each URL is annotated with the findings an analyst needs (anchor text showing another
/// domain, IP-literal and punycode hosts, user info, odd ports, shorteners, data:/javascript: URLs) and with the target
/// of link-protection rewrites. Never throws on hostile input; bounded by <see cref="UrlExtractionOptions"/>.
/// </summary>
public static class UrlExtractor
{
    public static IReadOnlyList<ExtractedUrl> Extract(string? plainText, string? html, UrlExtractionOptions? options = null) =>
        Analyze(plainText, html, null, options).Urls;

    /// <summary>As <see cref="Extract"/>, plus header values (each scanned as text, source <see cref="UrlSource.Header"/>) and whether a bound was hit.</summary>
    public static UrlExtractionResult Analyze(string? plainText, string? html, IEnumerable<string>? headerValues = null, UrlExtractionOptions? options = null)
    {
        options ??= UrlExtractionOptions.Default;
        options.Validate();
        var collector = new UrlCollector(options);
        bool truncated = false;

        if (!string.IsNullOrEmpty(plainText))
        {
            ScanText(collector, Bound(plainText, options, ref truncated), UrlSource.PlainText);
        }

        if (!string.IsNullOrEmpty(html) && !collector.IsFull)
        {
            ScanHtml(collector, Bound(html, options, ref truncated));
        }

        if (headerValues is not null)
        {
            foreach (string value in headerValues)
            {
                if (collector.IsFull)
                {
                    break;
                }

                if (!string.IsNullOrEmpty(value))
                {
                    ScanText(collector, Bound(value, options, ref truncated), UrlSource.Header);
                }
            }
        }

        return new UrlExtractionResult(collector.Build(), collector.LimitReached, truncated);
    }

    private static string Bound(string input, UrlExtractionOptions options, ref bool truncated)
    {
        if (input.Length <= options.MaxInputChars)
        {
            return input;
        }

        truncated = true;
        return input[..options.MaxInputChars];
    }

    private static void ScanText(UrlCollector collector, string text, UrlSource source)
    {
        foreach (string candidate in PlainTextUrlScanner.Scan(text, collector.Options.MaxUrlChars))
        {
            if (!collector.Add(candidate, source, null))
            {
                return;
            }
        }
    }

    private static void ScanHtml(UrlCollector collector, string html)
    {
        var parser = new HtmlParser(new HtmlParserOptions { IsScripting = false });
        using IHtmlDocument document = parser.ParseDocument(html);
        collector.BaseUrl = FindBase(document);

        // Iterative walk: hostile mail nests elements deeply enough to overflow a recursive one.
        var stack = new Stack<(INode Node, bool InAnchor)>();
        stack.Push((document, false));
        while (stack.Count > 0 && !collector.IsFull)
        {
            (INode node, bool inAnchor) = stack.Pop();
            if (node is IElement element)
            {
                VisitElement(collector, element);
                inAnchor |= element.LocalName is "a";
                if (element.LocalName is "style" or "title")
                {
                    continue;
                }
            }
            else if (node is IText text && !inAnchor)
            {
                ScanText(collector, text.Data, UrlSource.HtmlText);
                continue;
            }

            INodeList children = node.ChildNodes;
            for (int i = children.Length - 1; i >= 0; i--)
            {
                stack.Push((children[i], inAnchor));
            }
        }
    }

    private static string? FindBase(IHtmlDocument document)
    {
        foreach (IElement element in document.GetElementsByTagName("base"))
        {
            string? href = element.GetAttribute("href")?.Trim();
            if (href is not null && ParsedUrl.TryParse(href, out ParsedUrl parsed) && parsed.Scheme is "http" or "https")
            {
                return parsed.Normalised;
            }
        }

        return null;
    }

    private static void VisitElement(UrlCollector collector, IElement element)
    {
        string tag = element.LocalName;
        foreach (IAttr attribute in element.Attributes)
        {
            string name = attribute.Name;
            (UrlSource Source, bool IsLink)? kind = (tag, name) switch
            {
                ("a" or "area", "href" or "xlink:href") => (UrlSource.HtmlHref, true),
                ("base", _) => null,
                (_, "href" or "xlink:href") => (UrlSource.HtmlSrc, false),
                (_, "src" or "poster" or "lowsrc" or "dynsrc") => (UrlSource.HtmlSrc, false),
                ("object", "data") => (UrlSource.HtmlSrc, false),
                (_, "action" or "formaction") => (UrlSource.HtmlFormAction, false),
                (_, "background") => (UrlSource.HtmlBackground, false),
                ("meta", "content") => MetaRefreshKind(element),
                _ => null,
            };
            if (kind is null)
            {
                continue;
            }

            string value = kind.Value.Source is UrlSource.HtmlMetaRefresh ? MetaRefreshUrl(attribute.Value) : attribute.Value;
            string? display = kind.Value.IsLink ? DisplayTextOf(element, collector.Options.MaxDisplayTextChars) : null;
            if (!collector.Add(value, kind.Value.Source, display))
            {
                return;
            }
        }
    }

    private static (UrlSource, bool)? MetaRefreshKind(IElement meta) =>
        string.Equals(meta.GetAttribute("http-equiv")?.Trim(), "refresh", StringComparison.OrdinalIgnoreCase)
            ? (UrlSource.HtmlMetaRefresh, false)
            : null;

    // content="5; url='https://evil.example/'" → https://evil.example/
    private static string MetaRefreshUrl(string content)
    {
        int separator = content.IndexOfAny([';', ',']);
        if (separator < 0)
        {
            return string.Empty;
        }

        ReadOnlySpan<char> rest = content.AsSpan(separator + 1).TrimStart();
        if (rest.StartsWith("url", StringComparison.OrdinalIgnoreCase))
        {
            ReadOnlySpan<char> afterUrl = rest[3..].TrimStart();
            if (afterUrl.StartsWith("="))
            {
                rest = afterUrl[1..].TrimStart();
            }
        }

        if (rest.Length > 0 && rest[0] is '\'' or '"')
        {
            char quote = rest[0];
            rest = rest[1..];
            int close = rest.IndexOf(quote);
            if (close >= 0)
            {
                rest = rest[..close];
            }
        }

        return rest.Trim().ToString();
    }

    // Visible text of a link, collected without recursion and stopped at the cap; falls back to the alt text of an
    // image inside the link, which is where image-only phishing buttons put their "paypal.com".
    private static string? DisplayTextOf(IElement link, int maxChars)
    {
        if (link.LocalName == "area")
        {
            return Clean(link.GetAttribute("alt"), maxChars);
        }

        var builder = new StringBuilder();
        string? firstAlt = null;
        var stack = new Stack<INode>();
        stack.Push(link);
        int visited = 0;
        while (stack.Count > 0 && builder.Length < maxChars * 2 && visited++ < 10_000)
        {
            INode node = stack.Pop();
            if (node is IText text)
            {
                builder.Append(text.Data.AsSpan(0, Math.Min(text.Data.Length, (maxChars * 2) + 1)));
                continue;
            }

            if (node is IElement element)
            {
                if (element.LocalName is "img" && firstAlt is null)
                {
                    firstAlt = element.GetAttribute("alt");
                }

                if (element.LocalName is "style" or "script")
                {
                    continue;
                }
            }

            INodeList children = node.ChildNodes;
            for (int i = children.Length - 1; i >= 0; i--)
            {
                stack.Push(children[i]);
            }
        }

        return Clean(builder.ToString(), maxChars) ?? Clean(firstAlt, maxChars);
    }

    private static string? Clean(string? text, int maxChars)
    {
        if (string.IsNullOrWhiteSpace(text) || maxChars == 0)
        {
            return null;
        }

        var builder = new StringBuilder(Math.Min(text.Length, maxChars));
        bool pendingSpace = false;
        foreach (char c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c is '\u200B' or '\u200C' or '\u200D' or '\uFEFF' or '\u00AD')
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
            if (builder.Length >= maxChars)
            {
                break;
            }
        }

        return builder.Length == 0 ? null : builder.ToString();
    }
}
