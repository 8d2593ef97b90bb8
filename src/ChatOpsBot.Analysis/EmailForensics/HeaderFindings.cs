using System.Text;
using System.Text.RegularExpressions;
using ChatOpsBot.Analysis.EmailForensics.Headers;
using ChatOpsBot.Analysis.Common;

namespace ChatOpsBot.Analysis.EmailForensics;

/// <summary>The header facts the sender and authentication checks look at.</summary>
public sealed record SenderFacts(
    EmailAddressInfo? From,
    EmailAddressInfo? Sender,
    IReadOnlyList<EmailAddressInfo> ReplyTo,
    string? ReturnPath,
    AuthenticationSummary Auth,
    IReadOnlyList<ReceivedHop> Hops,
    string? Subject = null);

/// <summary>
/// Findings that come from the headers alone: authentication failures, sender-identity mismatches, display-name
/// and look-alike spoofing, and forged or skewed transport data. Reasons quote header content verbatim;
/// renderers escape them.
/// </summary>
public static partial class HeaderFindings
{
    public static IReadOnlyList<Finding> Evaluate(SenderFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var findings = new List<Finding>();
        AddAuthentication(facts.Auth, findings);
        AddSenderIdentity(facts, findings);
        AddTransport(facts.Hops, findings);
        return findings;
    }

    private static void AddAuthentication(AuthenticationSummary auth, List<Finding> findings)
    {
        if (auth.Dmarc is { Result: "fail" } dmarc)
        {
            findings.Add(new Finding("dmarc_fail", FindingSeverity.High, $"DMARC failed for {dmarc.Domain ?? "the From domain"}: the From domain did not authenticate this message."));
        }

        switch (auth.Spf?.Result)
        {
            case "fail":
                findings.Add(new Finding("spf_fail", FindingSeverity.Medium, $"SPF failed for {auth.Spf.Domain ?? "the envelope sender"}: the sending IP is not allowed to send for it."));
                break;
            case "softfail":
                findings.Add(new Finding("spf_softfail", FindingSeverity.Low, $"SPF soft-failed for {auth.Spf.Domain ?? "the envelope sender"}."));
                break;
            case "permerror" or "temperror":
                findings.Add(new Finding("spf_error", FindingSeverity.Low, $"SPF could not be evaluated ({auth.Spf.Result})."));
                break;
            default:
                break;
        }

        if (auth.Dkim.Count > 0 && auth.Dkim.All(d => d.Result is "fail" or "permerror" or "neutral" or "policy"))
        {
            findings.Add(new Finding("dkim_fail", FindingSeverity.Low, $"No DKIM signature verified ({string.Join(", ", auth.Dkim.Select(d => $"{d.Domain ?? "?"}={d.Result}"))})."));
        }

        if (auth.Compauth is { Result: "fail" or "softfail" } compauth)
        {
            findings.Add(new Finding("compauth_fail", FindingSeverity.Medium, $"Microsoft composite authentication {compauth.Result} (reason {compauth.Reason ?? "unknown"}): Exchange Online judged the sender spoofed."));
        }

        foreach (string conflict in auth.Conflicts)
        {
            findings.Add(new Finding("auth_results_conflict", FindingSeverity.Low, $"An untrusted Authentication-Results header lower in the message claims {conflict}; it was ignored."));
        }

        if (!auth.HasAnyResult)
        {
            findings.Add(new Finding("auth_results_missing", FindingSeverity.Info, "No authentication results: SPF, DKIM and DMARC cannot be judged from this message."));
        }
    }

    private static void AddSenderIdentity(SenderFacts facts, List<Finding> findings)
    {
        EmailAddressInfo? from = facts.From;
        string? fromDomain = from?.Domain;
        if (from is null || fromDomain is null)
        {
            findings.Add(new Finding("from_missing", FindingSeverity.Low, "The message has no usable From address."));
            return;
        }

        foreach (EmailAddressInfo replyTo in facts.ReplyTo)
        {
            if (replyTo.Domain is { } replyDomain && !SenderDomains.SameOrganization(replyDomain, fromDomain))
            {
                findings.Add(new Finding("reply_to_mismatch", FindingSeverity.Medium, $"Replies go to {replyTo.Address}, a different domain from the sender {from.Address}."));
                break;
            }
        }

        if (facts.ReturnPath is { } returnPath && AuthenticationEvaluator.DomainOf(returnPath) is { Length: > 0 } bounceDomain
            && returnPath.Contains('@', StringComparison.Ordinal) && !SenderDomains.SameOrganization(bounceDomain, fromDomain))
        {
            findings.Add(new Finding("return_path_mismatch", FindingSeverity.Low, $"The envelope sender (Return-Path {returnPath}) is in another domain than From {from.Address}."));
        }

        if (facts.Sender?.Domain is { } senderDomain && !SenderDomains.SameOrganization(senderDomain, fromDomain))
        {
            findings.Add(new Finding("sender_mismatch", FindingSeverity.Low, $"The Sender header ({facts.Sender.Address}) is in another domain than From {from.Address}."));
        }

        if (from.Name is { } name)
        {
            foreach (ValueMatch match in EmbeddedAddress().EnumerateMatches(name))
            {
                string embedded = name.Substring(match.Index, match.Length);
                string embeddedDomain = AuthenticationEvaluator.DomainOf(embedded);
                if (!SenderDomains.SameOrganization(embeddedDomain, fromDomain))
                {
                    findings.Add(new Finding("display_name_spoof", FindingSeverity.High, $"The display name shows the address {embedded} but the mail comes from {from.Address}."));
                    break;
                }
            }

            foreach (string brand in SenderDomains.BrandsNamedIn(name))
            {
                if (!SenderDomains.IsBrandDomain(brand, fromDomain))
                {
                    findings.Add(new Finding("display_name_brand_mismatch", FindingSeverity.Medium, $"The display name names {brand} but the address is in {fromDomain}."));
                    break;
                }
            }
        }

        // The pattern needs a '.': a local part without one (most of them) cannot match. Its first match, as Match gives
        // it, is read in place; only a domain found becomes a string.
        ReadOnlySpan<char> localPart = from.Address.AsSpan(0, from.Address!.LastIndexOf('@'));
        if (localPart.Contains('.'))
        {
            Regex.ValueMatchEnumerator matches = DomainLike().EnumerateMatches(localPart);
            if (matches.MoveNext() && localPart.Slice(matches.Current.Index, matches.Current.Length).ToString() is var localDomain
                && !SenderDomains.SameOrganization(localDomain, fromDomain))
            {
                findings.Add(new Finding("local_part_domain", FindingSeverity.Medium, $"The address {from.Address} puts a domain ({localDomain}) in its local part."));
            }
        }

        if (fromDomain.Contains("xn--", StringComparison.OrdinalIgnoreCase) || !Ascii.IsValid(fromDomain))
        {
            string ascii = SenderDomains.ToAscii(fromDomain) ?? fromDomain;
            string unicode = SenderDomains.DecodePunycode(ascii) ?? fromDomain;
            findings.Add(new Finding("idn_sender_domain", FindingSeverity.Medium, $"The sender domain {unicode} ({ascii}) is internationalised; check it for look-alike characters."));
        }

        if (SenderDomains.IsFreemail(fromDomain) && facts.Subject is { } subject && UrgentRequest().Match(subject) is { Success: true } urgent)
        {
            findings.Add(new Finding("freemail_urgent_request", FindingSeverity.Medium, $"A free-mail sender ({from.Address}) with an urgent or payment request in the subject (\"{urgent.Value}\"), typical of CEO fraud."));
        }

        if (SenderDomains.ImitatedBrand(fromDomain) is { } imitated)
        {
            findings.Add(new Finding("lookalike_sender_domain", FindingSeverity.High, $"The sender domain {fromDomain} imitates {imitated} but does not belong to it."));
        }
    }

    private static void AddTransport(IReadOnlyList<ReceivedHop> hops, List<Finding> findings)
    {
        ReceivedHop? skewed = hops.FirstOrDefault(h => h.ClockSkew);
        if (skewed is not null)
        {
            findings.Add(new Finding("received_clock_skew", FindingSeverity.Info, $"Hop {skewed.Hop} is timestamped {-skewed.DelaySeconds}s before the previous hop: clocks disagree (or a hop was forged)."));
        }
    }

    [GeneratedRegex(@"\b(urgent|urgently|asap|immediately|w-?2s?|wire transfer|wire|gift ?cards?|bank details|payroll|invoice|payment|overdue|verify your account|password)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: AnalysisRegex.MatchTimeoutMilliseconds)]
    private static partial Regex UrgentRequestGenerated();

    private static Regex UrgentRequest() => AnalysisRegex.Apply(UrgentRequestGenerated());

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: AnalysisRegex.MatchTimeoutMilliseconds)]
    private static partial Regex EmbeddedAddressGenerated();

    private static Regex EmbeddedAddress() => AnalysisRegex.Apply(EmbeddedAddressGenerated());

    [GeneratedRegex(@"(?:[a-z0-9\-]+\.)+(?:com|net|org|co|io|gov|edu|[a-z]{2})$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: AnalysisRegex.MatchTimeoutMilliseconds)]
    private static partial Regex DomainLikeGenerated();

    private static Regex DomainLike() => AnalysisRegex.Apply(DomainLikeGenerated());
}
