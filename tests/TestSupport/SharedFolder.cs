namespace ChatOpsBot.TestSupport;

/// <summary>
/// Locates <c>../shared</c> (read-only corpora and golden files) beside the checkout, or the folder named by
/// <c>CHATOPS_SHARED_DIR</c>. A fresh clone has no such folder, so suites built on it skip themselves;
/// CI sets <c>CHATOPS_REQUIRE_SHARED=1</c> so a missing folder fails instead of silently skipping.
/// </summary>
internal static class SharedFolder
{
    private static readonly Lazy<string?> s_root = new(Locate);

    public static string? Root => s_root.Value;

    public static bool IsRequired => Environment.GetEnvironmentVariable("CHATOPS_REQUIRE_SHARED") == "1";

    public static string? SkipReason =>
        Root is null && !IsRequired ? "../shared is not beside this checkout (set CHATOPS_SHARED_DIR to run this suite)" : null;

    public static string PathTo(string relative)
    {
        string root = Root ?? throw new InvalidOperationException(
            "CHATOPS_REQUIRE_SHARED=1 but ../shared was not found; set CHATOPS_SHARED_DIR");
        return Path.Combine(root, relative);
    }

    private static string? Locate()
    {
        string? configured = Environment.GetEnvironmentVariable("CHATOPS_SHARED_DIR");
        if (!string.IsNullOrEmpty(configured))
        {
            return Directory.Exists(configured) ? Path.GetFullPath(configured) : null;
        }

        string candidate = Path.Combine(RepositoryFolder.Root, "..", "shared");
        return Directory.Exists(candidate) ? Path.GetFullPath(candidate) : null;
    }
}

/// <summary>The checkout's root (the folder holding ChatOpsBot.sln), for tests of committed files.</summary>
internal static class RepositoryFolder
{
    private static readonly Lazy<string> s_root = new(() =>
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ChatOpsBot.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"ChatOpsBot.sln not found above {AppContext.BaseDirectory}");
    });

    public static string Root => s_root.Value;

    public static string PathTo(string relative) => Path.Combine(Root, relative);
}
