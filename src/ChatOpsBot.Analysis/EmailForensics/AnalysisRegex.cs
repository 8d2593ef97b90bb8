using System.Text.RegularExpressions;

namespace ChatOpsBot.Analysis.EmailForensics;

/// <summary>
/// Every regex the e-mail analysis runs goes through <see cref="Apply"/>. In production that returns the
/// source-generated instance unchanged (1 s match timeout). Tests can lower the match timeout for the current thread,
/// which swaps in an interpreted copy of the same pattern with that timeout, so a real
/// <see cref="RegexMatchTimeoutException"/> is raised by the real pattern on the real code path.
/// </summary>
internal static class AnalysisRegex
{
    /// <summary>The match timeout of the analysis patterns (their <c>matchTimeoutMilliseconds</c>).</summary>
    public const int MatchTimeoutMilliseconds = 1000;

    [ThreadStatic]
    private static TimeSpan? t_timeoutOverride;

    [ThreadStatic]
    private static Predicate<string>? t_overrideAppliesTo;

    [ThreadStatic]
    private static Dictionary<Regex, Regex>? t_overridden;

    public static Regex Apply(Regex pattern)
    {
        if (t_timeoutOverride is not { } timeout || t_overrideAppliesTo?.Invoke(pattern.ToString()) == false)
        {
            return pattern;
        }

        t_overridden ??= new Dictionary<Regex, Regex>(ReferenceEqualityComparer.Instance);
        if (!t_overridden.TryGetValue(pattern, out Regex? replacement))
        {
            replacement = new Regex(pattern.ToString(), pattern.Options, timeout);
            t_overridden[pattern] = replacement;
        }

        return replacement;
    }

    /// <summary>
    /// For tests: analysis regexes on this thread whose pattern text satisfies <paramref name="appliesTo"/> (all when
    /// null) use <paramref name="timeout"/> until the result is disposed. Restricting it matters because a timeout of
    /// a tick also trips patterns that merely cross a clock tick (first-call JIT), which would blur what a test proves.
    /// </summary>
    internal static IDisposable OverrideMatchTimeout(TimeSpan timeout, Predicate<string>? appliesTo = null)
    {
        t_timeoutOverride = timeout;
        t_overrideAppliesTo = appliesTo;
        t_overridden = null;
        return new Restore();
    }

    private sealed class Restore : IDisposable
    {
        public void Dispose()
        {
            t_timeoutOverride = null;
            t_overrideAppliesTo = null;
            t_overridden = null;
        }
    }
}
