using VirtFlow.Contracts;
using VirtFlow.Qmp;

namespace VirtFlow.HostWorker;

/// <summary>What QEMU has at one moment: <c>query-jobs</c>, <c>query-block</c> and <c>query-named-block-nodes</c>.</summary>
internal sealed record BlockView(IReadOnlyList<JobInfo> Jobs, IReadOnlyList<BlockInfo> Blocks, IReadOnlyList<BlockNodeInfo> Nodes)
{
    /// <summary>Runs the three queries at once (pipelined).</summary>
    public static async Task<BlockView> LoadAsync(IQmpClient client, CancellationToken ct)
    {
        var jobs = client.QueryJobsAsync(null, ct);
        var blocks = client.QueryBlockAsync(null, ct);
        var nodes = client.QueryNamedBlockNodesAsync(true, null, ct);
        return new BlockView(await jobs.ConfigureAwait(false), await blocks.ConfigureAwait(false), await nodes.ConfigureAwait(false));
    }

    public JobInfo? Job(string id) => Jobs.FirstOrDefault(j => j.Id == id);

    public BlockNodeInfo? Node(string name) => Nodes.FirstOrDefault(n => n.NodeName == name);

    /// <summary>The block backend of device <paramref name="device"/> (<c>vda</c>, a QOM path or a legacy drive name).</summary>
    public BlockInfo? Device(string device) => Blocks.FirstOrDefault(b =>
        (b.Device.Length > 0 && b.Device == device)
        || b.Qdev == device
        || b.Qdev == $"/machine/peripheral/{device}/virtio-backend"
        || b.Qdev == $"/machine/peripheral/{device}");

    /// <summary>The device whose medium is node <paramref name="node"/>, or null.</summary>
    public string? DeviceUsing(string node) =>
        Blocks.FirstOrDefault(b => b.Inserted?.NodeName == node) is { } block ? DeviceName(block) : null;

    public IReadOnlyList<BlockDeviceSnapshot> Devices() =>
        [.. Blocks.Select(b => new BlockDeviceSnapshot(DeviceName(b), b.Inserted?.NodeName, b.Inserted?.File))];

    /// <summary><c>vda</c> for <c>/machine/peripheral/vda/virtio-backend</c>; else the drive name or the QOM path.</summary>
    public static string DeviceName(BlockInfo block)
    {
        const string prefix = "/machine/peripheral/";
        if (block.Qdev is { } qdev && qdev.StartsWith(prefix, StringComparison.Ordinal))
        {
            var rest = qdev[prefix.Length..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            return slash < 0 ? rest : rest[..slash];
        }
        return block.Device.Length > 0 ? block.Device : block.Qdev ?? "";
    }
}
