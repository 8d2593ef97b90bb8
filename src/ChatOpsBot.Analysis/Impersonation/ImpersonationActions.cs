namespace ChatOpsBot.Analysis.Impersonation;

/// <summary>The seed's action strings, verbatim: scripts and Mimecast-minded analysts match on them.</summary>
public static class ImpersonationActions
{
    /// <summary>Three or more hits: Mimecast's default impersonation policy threshold.</summary>
    public const string QuarantineDefaultPolicy = "QUARANTINE (Hit 3 - Default policy)";

    /// <summary>At least one hit on a message that claims to be a VIP.</summary>
    public const string QuarantineVipPolicy = "QUARANTINE (Hit 1 - VIP policy)";

    public const string Deliver = "DELIVER";

    public const int DefaultPolicyHits = 3;
    public const int VipPolicyHits = 1;
}
