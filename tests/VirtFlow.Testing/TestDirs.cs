namespace VirtFlow.Testing;

/// <summary>
/// Short per-run scratch folders. Unix socket paths are limited to 107 bytes, so everything lives
/// under a short root: <c>$VIRTFLOW_TEST_ROOT</c> or <c>/tmp/vf</c>.
/// </summary>
public static class TestDirs
{
    public static string Root { get; } = Environment.GetEnvironmentVariable("VIRTFLOW_TEST_ROOT") is { Length: > 0 } r ? r : "/tmp/vf";

    /// <summary>Creates a fresh, uniquely named folder under <see cref="Root"/>.</summary>
    public static string Create(string prefix)
    {
        Directory.CreateDirectory(Root);
        var dir = Path.Combine(Root, $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>The repository root (the folder holding VirtFlow.sln), found from the test's base directory.</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    private static string FindRepoRoot([System.Runtime.CompilerServices.CallerFilePath] string thisFile = "")
    {
        if (Environment.GetEnvironmentVariable("VIRTFLOW_REPO_ROOT") is { Length: > 0 } fromEnv) return fromEnv;
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory(), Path.GetDirectoryName(thisFile) ?? "" })
        {
            var dir = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "VirtFlow.sln")))
                dir = dir.Parent;
            if (dir is not null) return dir.FullName;
        }
        throw new InvalidOperationException("VirtFlow.sln not found above " + AppContext.BaseDirectory + " (set VIRTFLOW_REPO_ROOT)");
    }
}
