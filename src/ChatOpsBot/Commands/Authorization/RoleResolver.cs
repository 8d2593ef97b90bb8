using Microsoft.Extensions.Options;

namespace ChatOpsBot.Commands.Authorization;

/// <summary>Maps a stable user id to its role, from <see cref="SecurityOptions"/> validated at start.</summary>
public sealed class RoleResolver
{
    private readonly Dictionary<string, Role> _roles = new(StringComparer.OrdinalIgnoreCase);

    public RoleResolver(IOptions<SecurityOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        SecurityOptions security = options.Value;
        Grant(security, security.Analysts, Role.Analyst);
        Grant(security, security.Responders, Role.Responder);
        Grant(security, security.Admins, Role.Admin);
    }

    /// <summary>The highest role granted to <paramref name="userId"/>; <see cref="Role.Reader"/> for anyone not listed.</summary>
    public Role RoleOf(string userId) =>
        !string.IsNullOrWhiteSpace(userId) && _roles.TryGetValue(userId.Trim(), out Role role) ? role : Role.Reader;

    private void Grant(SecurityOptions security, IEnumerable<string> grants, Role role)
    {
        foreach (string grant in grants.Select(g => g.Trim()))
        {
            IEnumerable<string> ids = grant.StartsWith(SecurityOptions.GroupPrefix, StringComparison.OrdinalIgnoreCase)
                ? security.Groups[grant[SecurityOptions.GroupPrefix.Length..]]
                : [grant];
            foreach (string id in ids.Select(i => i.Trim()))
            {
                if (!_roles.TryGetValue(id, out Role existing) || existing < role)
                {
                    _roles[id] = role;
                }
            }
        }
    }
}
