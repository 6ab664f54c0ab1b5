using System.Text.Json.Nodes;

namespace VirtFlow.HostWorker.Policy;

/// <summary>
/// Looks through the arguments of a QMP command for what reaches the host: an absolute path (or a <c>file:</c> URI, or a
/// value of a key that always names a file) must lie under the storage roots; <c>exec:</c> and <c>json:</c> pseudo-paths
/// are refused outright.
/// </summary>
internal static class HostPathScan
{
    /// <summary>Keys whose string value is always a host file or socket path.</summary>
    private static readonly HashSet<string> PathKeys = new(StringComparer.Ordinal)
    {
        "filename", "backing-file", "snapshot-file", "mem-path", "logfile", "script", "downscript", "helper", "out", "in", "mountpoint",
    };

    /// <summary>Keys that name a host path only in some commands (elsewhere a node name or a QOM path).</summary>
    private static readonly Dictionary<string, string> CommandPathKeys = new(StringComparer.Ordinal)
    {
        ["drive-mirror"] = "target",
        ["drive-backup"] = "target",
        ["nbd-server-start"] = "path",
        ["chardev-add"] = "path",
        ["chardev-change"] = "path",
        ["netdev_add"] = "path",
        ["object-add"] = "path",
        ["block-export-add"] = "path",
        ["blockdev-add"] = "path",
        ["migrate"] = "path",
        ["migrate-incoming"] = "path",
    };

    /// <summary>QOM paths look like absolute paths but name objects inside QEMU.</summary>
    private static readonly string[] QomRoots = ["/machine/", "/objects/", "/chardevs/"];

    /// <summary>Why the arguments of <paramref name="command"/> are refused, or null when they are fine.</summary>
    public static string? Refusal(string command, JsonNode? arguments, StorageRoots roots) =>
        Refusal(arguments, roots, CommandPathKeys.GetValueOrDefault(command), null);

    private static string? Refusal(JsonNode? node, StorageRoots roots, string? pathKey, string? key)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, value) in o)
                    if (Refusal(value, roots, pathKey, name) is { } refusal) return refusal;
                return null;
            case JsonArray a:
                foreach (var item in a)
                    if (Refusal(item, roots, pathKey, key) is { } refusal) return refusal;
                return null;
            case JsonValue v when v.TryGetValue(out string? text):
                return RefusalOf(key ?? "", key is not null && key == pathKey, text, roots);
            default:
                return null;
        }
    }

    private static string? RefusalOf(string key, bool commandPath, string text, StorageRoots roots)
    {
        if (text.StartsWith("exec:", StringComparison.Ordinal) || (key == "transport" && text == "exec"))
            return $"argument {key} runs a host program ('{Short(text)}'); that is never passed";
        if (text.StartsWith("json:", StringComparison.Ordinal))
            return $"argument {key} is a json: pseudo-filename, which may name any host file; give the options as JSON instead";
        var isPathKey = commandPath || PathKeys.Contains(key);
        string? path = null;
        if (text.StartsWith("file:", StringComparison.Ordinal)) path = text["file:".Length..];
        else if (!isPathKey && QomRoots.Any(r => text.StartsWith(r, StringComparison.Ordinal) || text == r.TrimEnd('/'))) return null;
        else if (text.StartsWith('/')) path = text;
        else if (isPathKey && !text.Contains("://", StringComparison.Ordinal)) path = text;
        if (path is null) return null;
        if (!Path.IsPathRooted(path)) return $"argument {key} '{Short(text)}' is not an absolute path under the storage roots ({roots.Describe()})";
        return roots.Inside(path) is null ? $"argument {key} names {Short(path)}, outside the storage roots ({roots.Describe()})" : null;
    }

    private static string Short(string text) => text.Length <= 120 ? text : text[..117] + "...";
}
