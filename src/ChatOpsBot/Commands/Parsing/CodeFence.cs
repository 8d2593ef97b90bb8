namespace ChatOpsBot.Commands.Parsing;

/// <summary>Pasted blocks often arrive wrapped in a Markdown code fence (```…```, optionally ```text) or in single backticks.</summary>
internal static class CodeFence
{
    public static string Strip(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string trimmed = text.Trim();
        if (trimmed.StartsWith("```", StringComparison.Ordinal))
        {
            string inner = trimmed[3..];
            int end = inner.LastIndexOf("```", StringComparison.Ordinal);
            if (end >= 0)
            {
                inner = inner[..end];
            }

            // A language tag (```text) sits on the fence line; a header line never starts right after the fence.
            int newline = inner.IndexOf('\n', StringComparison.Ordinal);
            if (newline >= 0 && !inner[..newline].Contains(':', StringComparison.Ordinal))
            {
                inner = inner[(newline + 1)..];
            }

            return inner.Trim('\r', '\n');
        }

        if (trimmed.Length > 1 && trimmed[0] == '`' && trimmed[^1] == '`')
        {
            return trimmed.Trim('`');
        }

        return trimmed;
    }
}
