using System.Text.Json.Nodes;

namespace VirtFlow.Qmp;

/// <summary>A QEMU version, from the QMP greeting or <c>query-version</c>.</summary>
/// <param name="Major">e.g. 7.</param>
/// <param name="Minor">e.g. 2.</param>
/// <param name="Micro">e.g. 22.</param>
/// <param name="Package">The distribution's package string, e.g. <c>Debian 1:7.2+dfsg-7+deb12u18+b3</c>; may be empty.</param>
public sealed record QmpVersion(int Major, int Minor, int Micro, string Package)
{
    /// <summary>True when this version is at least <paramref name="major"/>.<paramref name="minor"/>.</summary>
    public bool IsAtLeast(int major, int minor) => Major > major || (Major == major && Minor >= minor);

    /// <inheritdoc />
    public override string ToString() => Package.Length == 0 ? $"{Major}.{Minor}.{Micro}" : $"{Major}.{Minor}.{Micro} ({Package})";

    /// <summary>Reads QEMU's <c>{"qemu": {"major", "minor", "micro"}, "package"}</c> shape.</summary>
    internal static QmpVersion FromJson(JsonNode? node)
    {
        var qemu = node?["qemu"] ?? throw new QmpException(QmpErrorClasses.Protocol, "version without a 'qemu' member");
        return new QmpVersion(
            qemu["major"]?.GetValue<int>() ?? 0,
            qemu["minor"]?.GetValue<int>() ?? 0,
            qemu["micro"]?.GetValue<int>() ?? 0,
            node["package"]?.GetValue<string>()?.Trim() ?? "");
    }
}
