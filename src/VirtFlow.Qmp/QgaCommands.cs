using System.Text.Json.Nodes;

namespace VirtFlow.Qmp;

/// <summary>Typed guest-agent commands on any <see cref="IQgaClient"/>.</summary>
public static class QgaCommands
{
    /// <summary><c>guest-ping</c>: succeeds when the agent answers.</summary>
    public static async Task PingAsync(this IQgaClient client, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        await client.ExecuteAsync("guest-ping", null, timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>guest-info</c>: the agent's version and commands. Allowed while frozen.</summary>
    public static async Task<QgaInfo> GetInfoAsync(this IQgaClient client, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        const string command = "guest-info";
        var reply = await client.ExecuteAsync(command, null, timeout, cancellationToken).ConfigureAwait(false);
        try
        {
            if (reply is not JsonObject info || info["version"] is not JsonValue version || info["supported_commands"] is not JsonArray list)
                throw Malformed(command, reply);
            var commands = new List<QgaCommandInfo>(list.Count);
            foreach (var item in list)
            {
                if (item is not JsonObject c || c["name"] is not JsonValue name) throw Malformed(command, reply);
                commands.Add(new QgaCommandInfo(
                    name.GetValue<string>(),
                    c["enabled"]?.GetValue<bool>() ?? true,
                    c["success-response"]?.GetValue<bool>() ?? true));
            }
            return new QgaInfo(version.GetValue<string>(), commands);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw Malformed(command, reply);
        }
    }

    /// <summary><c>guest-fsfreeze-status</c>. Allowed while frozen.</summary>
    public static async Task<QgaFsFreezeStatus> GetFsFreezeStatusAsync(this IQgaClient client, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        const string command = "guest-fsfreeze-status";
        var reply = await client.ExecuteAsync(command, null, timeout, cancellationToken).ConfigureAwait(false);
        var text = reply is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        return text switch
        {
            "thawed" => QgaFsFreezeStatus.Thawed,
            "frozen" => QgaFsFreezeStatus.Frozen,
            _ => throw Malformed(command, reply),
        };
    }

    /// <summary>
    /// <c>guest-fsfreeze-freeze</c>: flushes and freezes every freezable guest filesystem; returns how many.
    /// Until <see cref="FsThawAsync"/> the guest's writes block and the agent refuses most commands (ping, info,
    /// sync, status and thaw still work): thaw on every path. A timeout or cancellation does not mean "not frozen":
    /// the agent may finish the freeze afterwards, so thaw then too; the thaw's resync waits behind the freeze.
    /// </summary>
    public static Task<int> FsFreezeAsync(this IQgaClient client, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        CountAsync(client, "guest-fsfreeze-freeze", timeout, cancellationToken);

    /// <summary><c>guest-fsfreeze-thaw</c>: thaws the frozen filesystems; returns how many (0 when none was frozen).</summary>
    public static Task<int> FsThawAsync(this IQgaClient client, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        CountAsync(client, "guest-fsfreeze-thaw", timeout, cancellationToken);

    private static async Task<int> CountAsync(IQgaClient client, string command, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var reply = await client.ExecuteAsync(command, null, timeout, cancellationToken).ConfigureAwait(false);
        return reply is JsonValue v && v.TryGetValue<int>(out var n) ? n : throw Malformed(command, reply);
    }

    private static QmpException Malformed(string command, JsonNode? reply) =>
        new(QmpErrorClasses.Protocol, "unexpected reply: " + (reply?.ToJsonString() ?? "null"), command);
}
