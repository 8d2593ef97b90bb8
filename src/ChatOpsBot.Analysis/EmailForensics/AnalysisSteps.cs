using System.Text.RegularExpressions;
using ChatOpsBot.Analysis.Common;

namespace ChatOpsBot.Analysis.EmailForensics;

/// <summary>
/// Runs one step of the analysis so that a regex match timeout (a CPU-starved process or a pathological input)
/// costs only that step: its fallback value is used and a finding says the step timed out, while every other
/// step still reports. Only <see cref="RegexMatchTimeoutException"/> is caught; any other failure is a bug.
/// </summary>
internal sealed class AnalysisSteps
{
    /// <summary>Stable code of the finding recorded for a step that timed out.</summary>
    public const string TimedOutCode = "analysis_step_timed_out";

    private readonly List<Finding> _timedOut = [];

    /// <summary>Findings for the steps that timed out, in the order they ran.</summary>
    public IReadOnlyList<Finding> TimedOut => _timedOut;

    /// <summary>True when any step timed out, so an absence of findings is not evidence of a clean message.</summary>
    public bool Incomplete => _timedOut.Count > 0;

    public T Run<T>(string step, Func<T> body, T fallback) => Run(step, body, static b => b(), fallback);

    /// <summary>As <see cref="Run{T}(string, Func{T}, T)"/>, with the step's input passed in: a static body allocates no closure.</summary>
    public T Run<TState, T>(string step, TState state, Func<TState, T> body, T fallback)
    {
        try
        {
            return body(state);
        }
        catch (RegexMatchTimeoutException)
        {
            _timedOut.Add(new Finding(TimedOutCode, FindingSeverity.Info, $"Analysis step {step} timed out; results may be incomplete."));
            return fallback;
        }
    }
}
