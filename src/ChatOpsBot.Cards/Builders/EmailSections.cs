using System.Globalization;
using ChatOpsBot.Analysis.EmailForensics;
using ChatOpsBot.Analysis.EmailForensics.Headers;
using ChatOpsBot.Cards.Model;

namespace ChatOpsBot.Cards.Builders;

/// <summary>The parts of an <see cref="EmailReport"/> that the email verdict card and the headers card share.</summary>
internal static class EmailSections
{
    public const string RawHeadersId = "rawHeaders";

    public static (AdaptiveContainerStyle Style, AdaptiveTextColor Color, string Label) VerdictLook(Verdict verdict) => verdict switch
    {
        Verdict.Malicious => (AdaptiveContainerStyle.Attention, AdaptiveTextColor.Attention, "MALICIOUS"),
        Verdict.Suspicious => (AdaptiveContainerStyle.Warning, AdaptiveTextColor.Warning, "SUSPICIOUS"),
        Verdict.Clean => (AdaptiveContainerStyle.Good, AdaptiveTextColor.Good, "NO THREAT FOUND"),
        _ => (AdaptiveContainerStyle.Emphasis, AdaptiveTextColor.Default, "NOT ENOUGH EVIDENCE"),
    };

    /// <summary><c>Name &lt;address&gt;</c>, both parts escaped (the brackets are ours, escaped for markdown).</summary>
    public static string Address(EmailAddressInfo? address, CardLimits limits)
    {
        if (address is null)
        {
            return string.Empty;
        }

        string name = CardText.Escape(address.Name, limits.TextChars);
        string mailbox = CardText.Escape(address.Address, limits.TextChars);
        return (name.Length, mailbox.Length) switch
        {
            (0, _) => mailbox,
            (_, 0) => name,
            _ => $"{name} \\<{mailbox}\\>",
        };
    }

    public static string Addresses(IReadOnlyList<EmailAddressInfo> addresses, CardLimits limits)
    {
        int shown = Math.Min(addresses.Count, limits.ListItems / 2 + 1);
        string list = string.Join(", ", addresses.Take(shown).Select(a => Address(a, limits)));
        return addresses.Count > shown ? $"{list} and {addresses.Count - shown} more" : list;
    }

    /// <summary>The reasons, worst first (the report keeps them in that order already; sorting again keeps it so).</summary>
    public static IEnumerable<AdaptiveElement> Findings(IReadOnlyList<Finding> findings, CardLimits limits, int max)
    {
        List<Finding> ordered = [.. findings.OrderByDescending(f => f.Severity)];
        foreach (Finding finding in ordered.Take(max))
        {
            yield return CardParts.Labelled(
                CardParts.SeverityLabel(finding.Severity),
                CardParts.SeverityColor(finding.Severity),
                [CardParts.Text(CardText.Escape(finding.Reason, limits.LongTextChars))]);
        }

        foreach (AdaptiveElement more in CardParts.More(ordered.Count, Math.Min(ordered.Count, max), "findings"))
        {
            yield return more;
        }
    }

    public static AdaptiveFactSet Authentication(AuthenticationSummary auth, CardLimits limits) => CardParts.Facts(
        ("SPF", Check(auth.Spf, limits)),
        ("DKIM", auth.Dkim.Count == 0 ? "none" : string.Join("; ", auth.Dkim.Take(3).Select(d => Check(d, limits)))),
        ("DMARC", Check(auth.Dmarc, limits)),
        ("compauth", auth.Compauth is null ? null : Check(auth.Compauth, limits)));

    public static string AuthenticationSource(AuthenticationSummary auth, CardLimits limits)
    {
        string source = auth.TrustedAuthservId is { } id
            ? $"From {CardText.Escape(auth.Source, 40)} added by {CardText.Escape(id, limits.TextChars)}."
            : $"Source: {CardText.Escape(auth.Source, 40)}.";
        if (auth.Ignored.Count > 0)
        {
            source += $" {auth.Ignored.Count} result header(s) from other servers ignored (a sender can forge those).";
        }

        return source;
    }

    public static IEnumerable<AdaptiveElement> Hops(IReadOnlyList<ReceivedHop> hops, CardLimits limits)
    {
        if (hops.Count == 0)
        {
            yield break;
        }

        yield return CardParts.Section($"Received hops ({hops.Count}, oldest first)");
        // The hops nearest the sender say most about it: keep the oldest.
        int shown = Math.Min(hops.Count, limits.TableRows);
        yield return CardParts.Table(
            [("#", 1), ("From", 5), ("By", 4), ("Delay", 2)],
            hops.Take(shown).Select(h => (IReadOnlyList<string>)
            [
                h.Hop.ToString(CultureInfo.InvariantCulture),
                HopFrom(h, limits),
                CardText.Escape(h.ByHost ?? h.ByIp, limits.TextChars),
                Delay(h),
            ]));
        foreach (AdaptiveElement more in CardParts.More(hops.Count, shown, "hops"))
        {
            yield return more;
        }
    }

    public static IEnumerable<AdaptiveElement> Ips(IReadOnlyList<HeaderIp> ips, CardLimits limits)
    {
        if (ips.Count == 0)
        {
            yield break;
        }

        // Public addresses first: only those say something about a sender on the internet.
        List<HeaderIp> ordered = [.. ips.OrderBy(ip => ip.IsPublic ? 0 : 1)];
        int shown = Math.Min(ordered.Count, limits.ListItems);
        yield return CardParts.Section($"IP addresses in headers ({ips.Count})");
        yield return CardParts.Facts(ordered.Take(shown).Select(ip => (
            CardText.Escape(ip.Address, 60),
            (string?)$"{ScopeText(ip.Scope)} · {CardText.Escape(string.Join(", ", ip.SeenIn.Take(4)), limits.TextChars)}")));
        foreach (AdaptiveElement more in CardParts.More(ordered.Count, shown, "addresses"))
        {
            yield return more;
        }
    }

    /// <summary>
    /// The raw header block, one unfolded header per line, hidden until "Show raw headers" is pressed; cut at
    /// <see cref="CardLimits.RawHeaderChars"/> with a note (nothing when the limit is 0 or there are no headers).
    /// </summary>
    public static AdaptiveContainer? RawHeaders(string rawHeaders, CardLimits limits)
    {
        if (limits.RawHeaderChars == 0 || string.IsNullOrWhiteSpace(rawHeaders))
        {
            return null;
        }

        List<string> lines = Unfold(rawHeaders);
        var items = new List<AdaptiveElement>();
        int used = 0;
        int shown = 0;
        foreach (string line in lines)
        {
            if (used >= limits.RawHeaderChars)
            {
                break;
            }

            string escaped = CardText.Escape(line, Math.Min(limits.LongTextChars, limits.RawHeaderChars - used));
            used += escaped.Length;
            shown++;
            items.Add(CardParts.Mono(escaped));
        }

        items.AddRange(CardParts.More(lines.Count, shown, "header lines (the .eml has them all)"));
        return new AdaptiveContainer
        {
            Id = RawHeadersId,
            IsVisible = false,
            Style = AdaptiveContainerStyle.Emphasis,
            Spacing = AdaptiveSpacing.Medium,
            Items = [new AdaptiveTextBlock("Raw headers (as received, escaped)") { Weight = AdaptiveTextWeight.Bolder, Size = AdaptiveTextSize.Small }, .. items],
        };
    }

    public static AdaptiveToggleVisibilityAction ShowRawHeaders() => CardActions.Toggle("Show raw headers", RawHeadersId);

    private static string? Check(AuthCheck? check, CardLimits limits)
    {
        if (check is null)
        {
            return "none";
        }

        string result = $"**{CardText.Escape(check.Result, 30)}**";
        if (check.Domain is { } domain)
        {
            result += $" ({CardText.Escape(check.DomainSource ?? "domain", 30)}={CardText.Escape(domain, limits.TextChars)})";
        }

        return result;
    }

    private static string HopFrom(ReceivedHop hop, CardLimits limits)
    {
        string host = CardText.Escape(hop.FromHost ?? hop.FromReverseDns, limits.TextChars);
        string ip = CardText.Escape(hop.FromIp, 60);
        return (host.Length, ip.Length) switch
        {
            (0, 0) => "-",
            (0, _) => ip,
            (_, 0) => host,
            _ => $"{host} \\[{ip}\\]",
        };
    }

    private static string Delay(ReceivedHop hop)
    {
        if (hop.ClockSkew)
        {
            return "clock skew";
        }

        return hop.DelaySeconds switch
        {
            null => "-",
            < 120 => string.Create(CultureInfo.InvariantCulture, $"{hop.DelaySeconds} s"),
            < 7200 => string.Create(CultureInfo.InvariantCulture, $"{hop.DelaySeconds / 60} min"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{hop.DelaySeconds / 3600} h"),
        };
    }

    private static string ScopeText(IpScope scope) => scope switch
    {
        IpScope.Public => "public",
        IpScope.Private => "private",
        IpScope.Loopback => "loopback",
        IpScope.LinkLocal => "link-local",
        IpScope.SharedCgnat => "CGNAT",
        IpScope.Documentation => "documentation",
        IpScope.Multicast => "multicast",
        IpScope.Unspecified => "unspecified",
        _ => "reserved",
    };

    private static List<string> Unfold(string rawHeaders)
    {
        var lines = new List<string>();
        foreach (string physical in rawHeaders.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            if (physical.Length == 0)
            {
                continue;
            }

            if (physical[0] is ' ' or '\t' && lines.Count > 0)
            {
                lines[^1] = lines[^1] + " " + physical.TrimStart(' ', '\t');
            }
            else
            {
                lines.Add(physical);
            }
        }

        return lines;
    }
}
