namespace ChatOpsBot.TestSupport;

/// <summary>A fact that needs <c>../shared</c>: skipped where it is absent, unless CI requires it.</summary>
internal sealed class SharedFolderFactAttribute : FactAttribute
{
    public SharedFolderFactAttribute()
    {
        Skip = SharedFolder.SkipReason!;
    }
}

/// <summary>A theory whose data comes from <c>../shared</c>: skipped where it is absent, unless CI requires it.</summary>
internal sealed class SharedFolderTheoryAttribute : TheoryAttribute
{
    public SharedFolderTheoryAttribute()
    {
        Skip = SharedFolder.SkipReason!;
    }
}
