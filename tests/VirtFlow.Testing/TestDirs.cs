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
    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "VirtFlow.sln")))
                dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("VirtFlow.sln not found above " + AppContext.BaseDirectory);
        }
    }
}
