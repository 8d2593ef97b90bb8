using System.Text;
using ChatOpsBot.Analysis.Common;

namespace ChatOpsBot.Analysis.Impersonation;

/// <summary>
/// Seed 000's VIP impersonation check with its defects fixed (docs/vip-check.md): whole-word, Unicode- and
/// homoglyph-aware name matching; domain mismatch only against the VIP whose name matched; real edit distance,
/// confusable skeletons and punycode decoding for look-alike domains; address-aware Reply-To comparison;
/// the VIP's own mail is not an impersonation; each distinct piece of evidence counts once.
/// </summary>
public static class VipImpersonationChecker
{
    private const int MaxEchoedLength = 200;

    public static ImpersonationCheckResult Check(SenderIdentity sender, IReadOnlyList<VipEntry> vips)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(vips);

        string fromRaw = sender.Address ?? string.Empty;
        ParsedMailbox? from = string.IsNullOrWhiteSpace(fromRaw) ? null : MailboxParser.TryParseSingle(fromRaw);
        string displayText = string.IsNullOrWhiteSpace(sender.DisplayName) ? from?.DisplayName ?? string.Empty : sender.DisplayName;
        PersonName display = PersonName.Parse(displayText);
        var evidence = new Evidence();

        if (from is null && !string.IsNullOrWhiteSpace(fromRaw))
        {
            evidence.Add(
                ImpersonationIndicatorKind.InvalidFromAddress,
                $"From address ({Echo(fromRaw)}) is not a valid email address",
                evidence: "a From value that is not exactly one mailbox cannot be checked against VIP domains");
        }

        List<PreparedVip> prepared = vips.Select(v => new PreparedVip(v, PersonName.Parse(v.Name ?? string.Empty), DomainName.TryCreate(v.Domain))).ToList();
        string matchedVip = AddNameEvidence(display, from, prepared, evidence);
        AddLookalikeEvidence(from, prepared, evidence);
        AddReplyToEvidence(sender.ReplyTo ?? string.Empty, from, evidence);

        int hits = evidence.Items.Count;
        (string action, bool isImpersonation) = hits >= ImpersonationActions.DefaultPolicyHits
            ? (ImpersonationActions.QuarantineDefaultPolicy, true)
            : hits >= ImpersonationActions.VipPolicyHits && matchedVip.Length > 0
                ? (ImpersonationActions.QuarantineVipPolicy, true)
                : (ImpersonationActions.Deliver, false);

        return new ImpersonationCheckResult(
            sender.DisplayName ?? string.Empty,
            fromRaw,
            matchedVip,
            evidence.Items.Select(i => i.Text).ToList(),
            hits,
            isImpersonation,
            action,
            from?.Domain.Text ?? string.Empty,
            from?.Domain.Unicode ?? string.Empty,
            display.ToString(),
            evidence.Items);
    }

    // Entries whose names read the same are one person: their evidence counts once, and mail from any of their
    // domains is that person's own mail.
    private static string AddNameEvidence(PersonName display, ParsedMailbox? from, List<PreparedVip> vips, Evidence evidence)
    {
        List<IGrouping<string, PreparedVip>> matches = vips
            .Where(v => display.Shows(v.Name))
            .GroupBy(v => v.Name.Key, StringComparer.Ordinal)
            .ToList();

        foreach (IGrouping<string, PreparedVip> person in matches)
        {
            bool ownMail = from is not null && person.Any(v => v.Domain is not null && from.Domain.IsSameOrSubdomainOf(v.Domain));
            if (ownMail)
            {
                continue;
            }

            PreparedVip first = person.First();
            evidence.Add(
                ImpersonationIndicatorKind.DisplayNameMatch,
                $"Display name matches VIP: {first.Entry.Name}",
                first.Entry.Name,
                evidence: $"display name words '{display}' include the VIP's '{first.Name}'");

            if (from is null)
            {
                continue;
            }

            foreach (PreparedVip vip in person.Where(v => v.Domain is not null))
            {
                evidence.Add(
                    ImpersonationIndicatorKind.DomainMismatch,
                    $"Email domain ({from.Domain.Text}) differs from VIP domain ({vip.Domain!.Text})",
                    vip.Entry.Name,
                    vip.Domain.Text,
                    evidence: $"'{from.Domain.Text}' is neither '{vip.Domain.Text}' nor one of its subdomains");
            }
        }

        // The most specific name wins ("Jane Doe Smith" over "Jane Doe"); on a tie, the first in the list.
        PreparedVip? best = matches
            .Select(g => g.First())
            .OrderByDescending(v => v.Name.RequiredTokenCount)
            .FirstOrDefault();
        return best?.Entry.Name ?? string.Empty;
    }

    private static void AddLookalikeEvidence(ParsedMailbox? from, List<PreparedVip> vips, Evidence evidence)
    {
        // A domain that is itself a VIP domain (corp.com next to corp.co.uk) is trusted, not a look-alike.
        if (from is null || vips.Any(v => v.Domain is not null && from.Domain.IsSameOrSubdomainOf(v.Domain)))
        {
            return;
        }

        // VIPs mostly share a few domains; compare each domain once.
        var compared = new Dictionary<string, DomainLookalike?>(StringComparer.Ordinal);
        foreach (PreparedVip vip in vips)
        {
            if (vip.Domain is null)
            {
                continue;
            }

            if (!compared.TryGetValue(vip.Domain.Ascii, out DomainLookalike? lookalike))
            {
                lookalike = LookalikeDomains.Compare(from.Domain, vip.Domain);
                compared[vip.Domain.Ascii] = lookalike;
            }

            if (lookalike is not null)
            {
                evidence.Add(
                    ImpersonationIndicatorKind.LookalikeDomain,
                    $"Domain '{from.Domain.Text}' is visually similar to '{vip.Domain.Text}'",
                    vip.Entry.Name,
                    vip.Domain.Text,
                    lookalike.Similarity,
                    lookalike.Evidence);
            }
        }
    }

    private static void AddReplyToEvidence(string replyToRaw, ParsedMailbox? from, Evidence evidence)
    {
        if (string.IsNullOrWhiteSpace(replyToRaw))
        {
            return;
        }

        IReadOnlyList<ParsedMailbox>? replyTo = MailboxParser.TryParseList(replyToRaw);
        if (replyTo is null)
        {
            evidence.Add(
                ImpersonationIndicatorKind.InvalidReplyTo,
                $"Reply-To ({Echo(replyToRaw)}) is not a valid email address",
                evidence: "replies would go somewhere that cannot be compared with the From address");
            return;
        }

        List<ParsedMailbox> elsewhere = replyTo.Where(r => from is null || !string.Equals(r.Key, from.Key, StringComparison.Ordinal)).ToList();
        if (elsewhere.Count > 0)
        {
            evidence.Add(
                ImpersonationIndicatorKind.ReplyToMismatch,
                "Reply-To differs from From address",
                evidence: $"replies go to {string.Join(", ", elsewhere.Select(r => r.Address))}, not {(from is null ? "the (missing) From address" : from.Address)}");
        }
    }

    // Values from the message are attacker-controlled: keep echoes short and on one line.
    private static string Echo(string value) => PrintableText.OneLine(value, MaxEchoedLength);

    private sealed record PreparedVip(VipEntry Entry, PersonName Name, DomainName? Domain);

    private sealed class Evidence
    {
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

        public List<ImpersonationIndicator> Items { get; } = [];

        // The seed counted the same evidence once per VIP (five VIPs at corp.com made one look-alike five hits).
        public void Add(
            ImpersonationIndicatorKind kind,
            string text,
            string? vipName = null,
            string? vipDomain = null,
            double? similarity = null,
            string evidence = "")
        {
            if (_seen.Add(text))
            {
                Items.Add(new ImpersonationIndicator(kind, text, vipName, vipDomain, similarity, evidence));
            }
        }
    }
}
