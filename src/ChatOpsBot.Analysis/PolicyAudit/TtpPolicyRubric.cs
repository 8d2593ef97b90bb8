namespace ChatOpsBot.Analysis.PolicyAudit;

/// <summary>The seed tool's scoring weights; four services of 25 points each.</summary>
public static class TtpPolicyRubric
{
    public const int MaxScore = 100;
    public const int SectionMaxScore = 25;

    public const int UrlProtectEnabled = 10;
    public const int UrlRewriting = 8;
    public const int UrlPredeliveryHold = 7;

    public const int AttachmentProtectEnabled = 10;
    public const int DynamicSandbox = 15;
    public const int SafeFileSandbox = 10;

    public const int ImpersonationProtectEnabled = 10;
    public const int RecommendedVipCount = 5;
    public const int EnoughVips = 15;
    public const int SomeVips = 8;

    public const int InternalEmailProtectEnabled = 25;
}
