namespace VirtFlow.Hosting.Embedded;

/// <summary>
/// Where the embedded mode keeps its state when no store is named: the SQLite file <c>virtflow.db</c> in
/// <c>$VIRTFLOW_HOME</c>, else <c>$XDG_DATA_HOME/virtflow</c>, else <c>~/.local/share/virtflow</c>.
/// </summary>
public static class StoreLocations
{
    /// <summary>The file name of the default SQLite store.</summary>
    public const string DatabaseFileName = "virtflow.db";

    /// <summary>The folder of the default store (not created).</summary>
    public static string HomeDirectory(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (environment("VIRTFLOW_HOME") is { Length: > 0 } home) return Path.GetFullPath(home);
        if (environment("XDG_DATA_HOME") is { Length: > 0 } data && Path.IsPathRooted(data)) return Path.Combine(data, "virtflow");
        var user = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (string.IsNullOrEmpty(user)) user = environment("HOME") ?? Path.GetTempPath();
        return Path.Combine(user, ".local", "share", "virtflow");
    }

    /// <summary>The default store spec, <c>sqlite:{home}/virtflow.db</c>; creates the folder when <paramref name="create"/>.</summary>
    public static string DefaultStoreSpec(bool create = true, Func<string, string?>? environment = null)
    {
        var dir = HomeDirectory(environment);
        if (create) Directory.CreateDirectory(dir);
        return "sqlite:" + Path.Combine(dir, DatabaseFileName);
    }
}
