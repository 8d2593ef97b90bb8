namespace ChatOpsBot.Commands.Authorization;

/// <summary>What a caller may do; each role includes everything the lower ones may.</summary>
public enum Role
{
    /// <summary>Anyone, including unknown users: forward mail for analysis, <c>help</c>, <c>whoami</c>.</summary>
    Reader = 0,

    /// <summary>Read-only analyses: audits, metrics, header analysis, VIP checks.</summary>
    Analyst = 1,

    /// <summary>Changes that affect protection: the VIP list, and block actions later.</summary>
    Responder = 2,

    /// <summary>Everything, including the audit trail.</summary>
    Admin = 3,
}

public static class RoleNames
{
    public static string Of(Role role) => role switch
    {
        Role.Reader => "reader",
        Role.Analyst => "analyst",
        Role.Responder => "responder",
        Role.Admin => "admin",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "unknown role"),
    };
}

/// <summary>The caller of a command as the authorisation step saw it.</summary>
public sealed record CallerIdentity(string Id, string? DisplayName, string Channel, Role Role)
{
    public bool Has(Role required) => Role >= required;
}
