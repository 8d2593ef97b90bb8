namespace ChatOpsBot.Commands.Authorization;

/// <summary>
/// Role grants (configuration section <c>Security</c>). Each list holds stable user ids (Entra object ids, Slack user
/// ids) or <c>group:NAME</c>, which grants the role to every member of <see cref="Groups"/>[NAME]. A user holds the
/// highest role any entry grants; everyone else is a <see cref="Role.Reader"/>.
/// </summary>
public sealed class SecurityOptions
{
    public const string SectionName = "Security";

    public const string GroupPrefix = "group:";

    public IList<string> Admins { get; } = [];

    public IList<string> Responders { get; } = [];

    public IList<string> Analysts { get; } = [];

    /// <summary>Named member lists of stable user ids, so a team is granted a role in one place.</summary>
    public IDictionary<string, IList<string>> Groups { get; } = new Dictionary<string, IList<string>>(StringComparer.OrdinalIgnoreCase);
}
