namespace VirtFlow.Qmp;

/// <summary>Typed <c>query-*</c> helpers.</summary>
public static class QmpQueryCommands
{
    /// <summary><c>query-version</c>.</summary>
    public static async Task<QmpVersion> QueryVersionAsync(this IQmpClient client, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var reply = await client.ExecuteAsync("query-version", null, timeout, cancellationToken).ConfigureAwait(false);
        try
        {
            return QmpVersion.FromJson(reply);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new QmpException(QmpErrorClasses.Protocol, "unexpected reply shape: " + e.Message, "query-version");
        }
    }

    /// <summary><c>query-status</c>.</summary>
    public static async Task<VmStatus> QueryStatusAsync(this IQmpClient client, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        QmpJson.Read<VmStatus>(await client.ExecuteAsync("query-status", null, timeout, cancellationToken).ConfigureAwait(false), "query-status");

    /// <summary><c>query-block</c>: every block backend and the node it uses.</summary>
    public static async Task<IReadOnlyList<BlockInfo>> QueryBlockAsync(this IQmpClient client, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        QmpJson.Read<BlockInfo[]>(await client.ExecuteAsync("query-block", null, timeout, cancellationToken).ConfigureAwait(false), "query-block");

    /// <summary><c>query-named-block-nodes</c> (with <c>flat</c>: backing images not nested).</summary>
    public static async Task<IReadOnlyList<BlockNodeInfo>> QueryNamedBlockNodesAsync(this IQmpClient client, bool flat = true, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        QmpJson.Read<BlockNodeInfo[]>(
            await client.ExecuteAsync("query-named-block-nodes", new() { ["flat"] = flat }, timeout, cancellationToken).ConfigureAwait(false),
            "query-named-block-nodes");

    /// <summary><c>query-jobs</c>: every job, including concluded ones not yet dismissed.</summary>
    public static async Task<IReadOnlyList<JobInfo>> QueryJobsAsync(this IQmpClient client, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        QmpJson.Read<JobInfo[]>(await client.ExecuteAsync("query-jobs", null, timeout, cancellationToken).ConfigureAwait(false), "query-jobs");

    /// <summary>
    /// The node a device uses now (from <c>query-block</c>), or null when no such device or no medium.
    /// <paramref name="device"/> is a device id (<c>vda</c>), a QOM path (<c>/machine/peripheral/vda/virtio-backend</c>)
    /// or a legacy drive name.
    /// </summary>
    public static async Task<string?> FindNodeForDeviceAsync(this IQmpClient client, string device, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(device);
        var blocks = await client.QueryBlockAsync(timeout, cancellationToken).ConfigureAwait(false);
        return blocks.FirstOrDefault(b => Matches(b, device))?.Inserted?.NodeName;
    }

    internal static bool Matches(BlockInfo block, string device) =>
        (block.Device.Length > 0 && block.Device == device)
        || block.Qdev == device
        || block.Qdev == $"/machine/peripheral/{device}/virtio-backend"
        || block.Qdev == $"/machine/peripheral/{device}";
}
