using System.Text;
using AngleSharp.Html.Parser;
using AngleSharp.Html.Parser.Tokens;
using AngleSharp.Html.Parser.Tokens.Struct;

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

    private static void ScanText(UrlCollector collector, ReadOnlySpan<char> text, UrlSource source) =>
        PlainTextUrlScanner.Scan(text, collector.Options.MaxUrlChars, (collector, source), static (state, candidate) => state.collector.Add(candidate, state.source, null));

    // The HTML tokenizer, not the tree builder: building the tree costs time quadratic in nesting depth (100,000
    // nested <div>s take a minute), while tokenizing is linear and decodes entities and odd quoting exactly the same.
    // Tokens are read as structs (what HtmlTokenizer.Get() converts to objects, copying every text run and attribute
    // into a string): text is scanned where the tokenizer holds it, and only URL-bearing values become strings. A
    // struct token's text is valid until the next token is read, so nothing keeps it beyond this loop's iteration.
    private static void ScanHtml(UrlCollector collector, string html)
    {
        if (html.Contains("<base", StringComparison.OrdinalIgnoreCase))
        {
            collector.BaseUrl = FindBase(html);
        }

        using HtmlTokenizer tokenizer = CreateTokenizer(html);
        OpenAnchor? anchor = null;
        string? skippedRawTextTag = null;
        while (!collector.IsFull)
        {
            ref StructHtmlToken token = ref tokenizer.GetStructToken();
            switch (token.Type)
            {
                case HtmlTokenType.EndOfFile:
                    CloseAnchor(collector, ref anchor);
                    return;
                case HtmlTokenType.StartTag:
                    string name = token.Name.ToString();
                    if (name == "a")
                    {
                        CloseAnchor(collector, ref anchor);
                    }

                    VisitTag(collector, ref token, name, ref anchor);
                    skippedRawTextTag = SwitchTokenizerState(tokenizer, name, token.IsSelfClosing);
                    break;
                case HtmlTokenType.EndTag:
                    if (token.Name == "a")
                    {
                        CloseAnchor(collector, ref anchor);
                    }

                    skippedRawTextTag = null;
                    break;
                case HtmlTokenType.Character:
                    if (skippedRawTextTag is not null)
                    {
                        break;
                    }

                    if (anchor is not null)
                    {
                        anchor.AppendText(token.Data.Memory.Span);
                    }
                    else
                    {
                        ScanText(collector, token.Data.Memory.Span, UrlSource.HtmlText);
                    }

                    break;
                case HtmlTokenType.Comment:
                    // Outlook renders conditional comments (<!--[if mso]>...<![endif]-->); links can hide there.
                    ScanText(collector, token.Data.Memory.Span, UrlSource.HtmlText);
                    break;
            }
        }
    }

    private static HtmlTokenizer CreateTokenizer(string html) => HtmlTokens.Create(html);

    // The tree builder normally tells the tokenizer that script/style/title/textarea content is text, not markup.
    // Script text is scanned (redirects live there); style and title text are not.
    private static string? SwitchTokenizerState(HtmlTokenizer tokenizer, HtmlTagToken tag) =>
        SwitchTokenizerState(tokenizer, tag.Name, tag.IsSelfClosing);

    private static string? SwitchTokenizerState(HtmlTokenizer tokenizer, string name, bool isSelfClosing)
    {
        if (isSelfClosing)
        {
            return null;
        }

        switch (name)
        {
            case "script":
                tokenizer.State = HtmlParseMode.Script;
                return null;
            case "style" or "xmp" or "iframe" or "noembed" or "noframes":
                tokenizer.State = HtmlParseMode.Rawtext;
                return name;
            case "title" or "textarea":
                tokenizer.State = HtmlParseMode.RCData;
                return name;
            case "plaintext":
                tokenizer.State = HtmlParseMode.Plaintext;
                return null;
            default:
                return null;
        }
    }

    private static string? FindBase(string html)
    {
        using HtmlTokenizer tokenizer = CreateTokenizer(html);
        while (true)
        {
            HtmlToken token = tokenizer.Get();
            if (token.Type == HtmlTokenType.EndOfFile)
            {
                return null;
            }

            if (token.Type == HtmlTokenType.StartTag && token.Name == "base")
            {
                string? href = token.AsTag().GetAttribute("href")?.Trim();
                if (!string.IsNullOrEmpty(href) && ParsedUrl.TryParse(href, out ParsedUrl parsed) && parsed.Scheme is "http" or "https")
                {
                    return parsed.Normalised;
                }
            }
            else if (token.Type == HtmlTokenType.StartTag)
            {
                SwitchTokenizerState(tokenizer, token.AsTag());
            }
        }
    }

    private sealed class OpenAnchor(List<string> hrefs, int maxChars)
    {
        private readonly StringBuilder _text = new();

        public List<string> Hrefs { get; } = hrefs;

        public string? ImageAlt { get; set; }

        public void AppendText(ReadOnlySpan<char> text)
        {
            int room = (maxChars * 2) - _text.Length;
            if (room > 0)
            {
                _text.Append(text[..Math.Min(room, text.Length)]);
            }
        }

        public string? DisplayText() => Clean(_text.ToString(), maxChars) ?? Clean(ImageAlt, maxChars);
    }

    private static void CloseAnchor(UrlCollector collector, ref OpenAnchor? anchor)
    {
        if (anchor is null)
        {
            return;
        }

        string? display = anchor.DisplayText();
        foreach (string href in anchor.Hrefs)
        {
            if (!collector.Add(href, UrlSource.HtmlHref, display))
            {
                break;
            }
        }

        anchor = null;
    }

    // A missing attribute reads as empty, as HtmlTagToken.GetAttribute gives it.
    private static void VisitTag(UrlCollector collector, ref StructHtmlToken tag, string name, ref OpenAnchor? anchor)
    {
        if (name == "img" && anchor is not null)
        {
            anchor.ImageAlt ??= tag.GetAttribute("alt").ToString();
        }

        StructAttributes attributes = tag.Attributes;
        for (int i = 0; i < attributes.Count; i++)
        {
            MemoryHtmlAttributeToken attribute = attributes[i];
            string attributeName = attribute.Name.ToString();
            if (name == "a" && attributeName is "href" or "xlink:href")
            {
                anchor ??= new OpenAnchor([], collector.Options.MaxDisplayTextChars);
                anchor.Hrefs.Add(attribute.Value.ToString());
                continue;
            }

            UrlSource? source = (name, attributeName) switch
            {
                ("area", "href") => UrlSource.HtmlHref,
                ("base", _) => null,
                (_, "href" or "xlink:href") => UrlSource.HtmlSrc,
                (_, "src" or "poster" or "lowsrc" or "dynsrc") => UrlSource.HtmlSrc,
                ("object", "data") => UrlSource.HtmlSrc,
                (_, "action" or "formaction") => UrlSource.HtmlFormAction,
                (_, "background") => UrlSource.HtmlBackground,
                ("meta", "content") when tag.GetAttribute("http-equiv").Memory.Span.Trim().Equals("refresh", StringComparison.OrdinalIgnoreCase)
                    => UrlSource.HtmlMetaRefresh,
                _ => null,
            };
            if (source is null)
            {
                continue;
            }

            string value = source is UrlSource.HtmlMetaRefresh ? MetaRefreshUrl(attribute.Value.ToString()) : attribute.Value.ToString();
            string? display = name == "area" ? Clean(tag.GetAttribute("alt").ToString(), collector.Options.MaxDisplayTextChars) : null;
            if (!collector.Add(value, source.Value, display))
            {
                return;
            }
        }
    }

    // content="5; url='https://evil.example/'" → https://evil.example/
    private static string MetaRefreshUrl(string content)
    {
        int separator = content.AsSpan().IndexOfAny(';', ',');
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
