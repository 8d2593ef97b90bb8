using ChatOpsBot.Alerts;
using ChatOpsBot.Alerts.Delivery;
using ChatOpsBot.Commands;
using Microsoft.Extensions.Options;

namespace ChatOpsBot.Slack;

/// <summary>
/// <c>Alerts:Targets</c> entries for Slack (<c>conversation:slack:C024BE91L</c>) must name the conversation by id:
/// <c>chat.postMessage</c> would take a channel name too, but its <c>ts</c> and every later <c>chat.update</c> need the
/// id, and a renamed channel would silently stop receiving. Refused at start with where to find the id.
/// </summary>
internal sealed class SlackAlertTargetsValidator : IValidateOptions<AlertsOptions>
{
    public ValidateOptionsResult Validate(string? name, AlertsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        for (int i = 0; i < options.Targets.Count; i++)
        {
            if (AlertTarget.TryParse(options.Targets[i], out AlertTarget? target, out _)
                && target.TryGetConversation(out string? channelId, out string? conversationId)
                && channelId == ChatChannels.Slack
                && !SlackConversationIds.IsValid(conversationId))
            {
                failures.Add($"Alerts:Targets[{i}] names a Slack conversation by '{SlackLogText.Safe(conversationId, 40)}'; use its id: conversation:slack:C… "
                    + "(in Slack: the channel's name → About, the Channel ID at the bottom; C…, G… or D…, upper-case letters and digits).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
