using System.Buffers;
using ChatOpsBot.Analysis.Common;

namespace ChatOpsBot.Integrations.Http;

/// <summary>Text that came from an outside service (error codes, messages, request ids): made safe for one log or
/// chat line and bounded, because the service is as untrusted as any other input.</summary>
internal static class RemoteText
{
    public const int MaxCodeChars = 80;
    public const int MaxMessageChars = 300;
    public const int MaxRequestIdChars = 100;

    private static readonly SearchValues<char> s_tokenChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:/+=");

    public static string OneLine(string text, int maxChars) => PrintableText.OneLine(text, maxChars).Trim();

    /// <summary>A request id or error code as sent, when it is a plain token; otherwise null (never echoed).</summary>
    public static string? Token(string? value, int maxChars)
    {
        if (string.IsNullOrEmpty(value) || value.Length > maxChars || value.AsSpan().ContainsAnyExcept(s_tokenChars))
        {
            return null;
        }

        return value;
    }

    public static string? RequestId(HttpResponseMessage response, string headerName)
    {
        return response.Headers.TryGetValues(headerName, out IEnumerable<string>? values)
            ? Token(values.FirstOrDefault(), MaxRequestIdChars)
            : null;
    }
}
