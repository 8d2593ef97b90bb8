using Microsoft.Extensions.Options;

namespace ChatOpsBot.Commands.Authorization;

/// <summary>
/// Refuses to start on grants that are ambiguous or wider than they look: wildcards, blank or whitespace-bearing ids,
/// unknown or nested groups. A grant list is a security control, so a typo must stop the bot, not widen or drop access.
/// </summary>
internal sealed class SecurityOptionsValidator : IValidateOptions<SecurityOptions>
{
    public const int MaxIdLength = 128;
    public const int MaxGroupNameLength = 64;

    public ValidateOptionsResult Validate(string? name, SecurityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        foreach ((string groupName, IList<string> members) in options.Groups)
        {
            if (!IsValidGroupName(groupName))
            {
                errors.Add($"Security:Groups: the group name '{Shorten(groupName)}' must be 1-{MaxGroupNameLength} letters, digits, '.', '_' or '-'");
            }

            for (int i = 0; i < members.Count; i++)
            {
                string where = $"Security:Groups:{Shorten(groupName)}:{i}";
                if (members[i] is { } member && member.Trim().StartsWith(SecurityOptions.GroupPrefix, StringComparison.OrdinalIgnoreCase))
                {
                    errors.Add($"{where}: groups cannot contain groups; list the user ids");
                }
                else
                {
                    CheckId(members[i], where, errors);
                }
            }
        }

        CheckGrants(options.Admins, "Security:Admins", options, errors);
        CheckGrants(options.Responders, "Security:Responders", options, errors);
        CheckGrants(options.Analysts, "Security:Analysts", options, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void CheckGrants(IList<string> grants, string key, SecurityOptions options, List<string> errors)
    {
        for (int i = 0; i < grants.Count; i++)
        {
            string where = $"{key}:{i}";
            string? grant = grants[i]?.Trim();
            if (grant is not null && grant.StartsWith(SecurityOptions.GroupPrefix, StringComparison.OrdinalIgnoreCase))
            {
                string groupName = grant[SecurityOptions.GroupPrefix.Length..];
                if (!options.Groups.ContainsKey(groupName))
                {
                    // Configuration cannot tell an empty member list from a missing one, so both read as a typo to fix.
                    errors.Add($"{where}: '{Shorten(grant)}' names no group with members under Security:Groups; fix the name, add members, or remove the grant");
                }
            }
            else
            {
                CheckId(grants[i], where, errors);
            }
        }
    }

    private static void CheckId(string? id, string where, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            errors.Add($"{where}: empty user id");
        }
        else if (id.Contains('*', StringComparison.Ordinal))
        {
            errors.Add($"{where}: wildcards are not supported; grant roles to user ids or groups");
        }
        else if (id.Length > MaxIdLength)
        {
            errors.Add($"{where}: a user id is at most {MaxIdLength} characters");
        }
        else if (id.Trim().Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            errors.Add($"{where}: '{Shorten(id)}' contains spaces or control characters; a user id is an Entra object id or a Slack user id");
        }
    }

    private static bool IsValidGroupName(string name) =>
        name.Length is > 0 and <= MaxGroupNameLength && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    private static string Shorten(string text) => ChatOpsBot.Analysis.Common.PrintableText.OneLine(text, 80);
}
