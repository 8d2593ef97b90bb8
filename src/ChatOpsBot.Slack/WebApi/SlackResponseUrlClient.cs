using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ChatOpsBot.Cards.BlockKit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Slack.WebApi;

/// <summary>Who sees an answer posted through a <c>response_url</c>.</summary>
public enum SlackResponseVisibility
{
    /// <summary>Only the user who ran the command or pressed the button (Slack's default): errors, usage, help.</summary>
    Ephemeral,

    /// <summary>Everyone in the conversation, with the command shown: results.</summary>
    InChannel,
}

/// <summary>An answer to a slash command or an interaction.</summary>
/// <param name="ReplaceOriginal">Replace the message the buttons were on (the only way to change an ephemeral one).</param>
public sealed record SlackResponse(BlockKitMessage Message, SlackResponseVisibility Visibility, bool ReplaceOriginal = false, string? ThreadTs = null);

/// <summary>Posts to Slack's <c>response_url</c>s (up to five answers within 30 minutes of a command or an interaction).</summary>
public interface ISlackResponseUrlClient
{
    Task PostAsync(string responseUrl, SlackResponse response, CancellationToken cancellationToken);
}

/// <summary>
/// The <c>response_url</c> client. A response URL is a short-lived credential of its own: it is posted to without the
/// bot token, only over https (or a test loopback) and only on <see cref="SlackOptions.ResponseUrlHosts"/>, and it is
/// never logged.
/// </summary>
public sealed partial class SlackResponseUrlClient(HttpClient httpClient, IOptions<SlackOptions> options, TimeProvider timeProvider, ILogger<SlackResponseUrlClient> logger)
    : ISlackResponseUrlClient
{
    private const string Method = "response_url";

    private readonly SlackOptions _options = options.Value;

    public async Task PostAsync(string responseUrl, SlackResponse response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        Uri target = CheckedUrl(responseUrl);
        var body = new JsonObject
        {
            ["response_type"] = response.Visibility == SlackResponseVisibility.InChannel ? "in_channel" : "ephemeral",
            ["text"] = response.Message.Text,
            ["blocks"] = BlockKitJson.BlocksToJsonArray(response.Message.Blocks),
        };
        if (response.ReplaceOriginal)
        {
            body["replace_original"] = true;
        }

        if (!string.IsNullOrEmpty(response.ThreadTs))
        {
            body["thread_ts"] = response.ThreadTs;
        }

        string json = body.ToJsonString(BlockKitJson.Options);
        (HttpStatusCode status, byte[] answer, _) = await SlackHttp.SendAsync(
            httpClient,
            () => new HttpRequestMessage(HttpMethod.Post, target) { Content = new StringContent(json, Encoding.UTF8, "application/json") },
            Method,
            _options,
            timeProvider,
            logger,
            cancellationToken).ConfigureAwait(false);

        // Slack answers "ok" (or {"ok":true}); an expired or used-up URL is a 404 with a short error such as "expired_url".
        string text = Encoding.UTF8.GetString(answer.AsSpan(0, Math.Min(answer.Length, 200)));
        if (status != HttpStatusCode.OK || text.Contains("\"ok\":false", StringComparison.Ordinal))
        {
            string error = ErrorCode(text) ?? $"http_{(int)status}";
            LogFailed(logger, error);
            throw new SlackApiException(Method, error, status);
        }
    }

    private Uri CheckedUrl(string responseUrl)
    {
        if (!Uri.TryCreate(responseUrl, UriKind.Absolute, out Uri? uri) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new SlackApiException(Method, "invalid_response_url");
        }

        bool scheme = uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback && _options.AllowHttpOnLoopbackForTesting);
        string? host = SlackLogText.WireHost(uri);
        bool allowed = host is not null && _options.EffectiveResponseUrlHosts.Any(h => host == h || host.EndsWith("." + h, StringComparison.Ordinal));
        if (!scheme || !allowed)
        {
            // The URL came from a verified Slack request, so this is a configuration gap (GovSlack, a proxy), not an attack.
            string origin = SlackLogText.Safe(uri.GetLeftPart(UriPartial.Authority), 100);
            LogRefused(logger, origin);
            throw new SlackApiException(Method, "response_url_not_allowed");
        }

        return uri;
    }

    private static string? ErrorCode(string text)
    {
        string trimmed = text.Trim();
        if (trimmed.Length is > 0 and <= 64 && trimmed.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            return trimmed == "ok" ? null : trimmed;
        }

        int at = trimmed.IndexOf("\"error\":\"", StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        int start = at + 9;
        int end = trimmed.IndexOf('"', start);
        string code = end > start ? trimmed[start..end] : string.Empty;
        return code.Length is > 0 and <= 64 && code.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? code : null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack response_url answer failed: {Error}")]
    private static partial void LogFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slack response_url on {Origin} refused: not https on Slack:ResponseUrlHosts")]
    private static partial void LogRefused(ILogger logger, string origin);
}
