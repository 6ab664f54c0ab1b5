using VirtFlow.Contracts;
using VirtFlow.Qmp;

namespace VirtFlow.HostWorker;

/// <summary>
/// InspectVm, the preflight: what a run on this VM would meet, changing nothing. Read from QEMU (query-version,
/// query-status, query-block, query-named-block-nodes, query-jobs), the file system (each target) and, when asked, one
/// guest-ping. Every reason the run would fail is one line naming the disk, target or VM.
/// </summary>
internal sealed class InspectVmHandler(WorkerContext context) : HostCommandHandler<InspectVm, InspectVmResult>
{
    /// <summary>How long the guest agent may take to answer its ping.</summary>
    internal static readonly TimeSpan AgentPingTimeout = TimeSpan.FromSeconds(3);

    protected override async Task<InspectVmResult?> HandleAsync(VmSession session, InspectVm command, CancellationToken ct)
    {
        var vm = session.Name;
        var client = await session.GetClientAsync(ct).ConfigureAwait(false);
        var version = client.QueryVersionAsync(null, ct);
        var status = client.QueryStatusAsync(null, ct);
        var view = await BlockView.LoadAsync(client, ct).ConfigureAwait(false);
        var qemu = await version.ConfigureAwait(false);
        var runState = (await status.ConfigureAwait(false)).Status;
        var problems = new List<string>();

        var disks = new List<InspectedDisk>();
        foreach (var block in view.Blocks)
        {
            if (block.Inserted is not { } inserted) continue;
            var device = BlockView.DeviceName(block);
            var node = view.Node(inserted.NodeName);
            var size = inserted.Image?.VirtualSize ?? node?.Image?.VirtualSize ?? 0;
            var hasJob = view.Jobs.Any(j => !JobStates.IsOver(j.Status) && session.MirrorOf(j.Id)?.Device == device);
            disks.Add(new InspectedDisk(device, inserted.NodeName, inserted.File, size, inserted.Drv, hasJob));
        }
        foreach (var device in command.Devices ?? [])
        {
            if (view.Device(device) is { } block)
            {
                if (block.Inserted is null) problems.Add($"VM {vm}: disk {device} has no medium");
            }
            else if (view.Node(device) is null)
            {
                problems.Add($"VM {vm}: disk {device} not found (devices: {string.Join(", ", view.Blocks.Select(BlockView.DeviceName))})");
            }
        }

        var targets = new List<InspectedTarget>();
        var devices = command.Devices ?? [];
        var targetList = command.Targets ?? [];
        for (var i = 0; i < targetList.Count; i++)
        {
            // Targets name their disks in order when the command lists as many devices as targets.
            var device = devices.Count == targetList.Count ? devices[i] : null;
            targets.Add(TargetInspection.Inspect(context.Roots, vm, targetList[i], device, device is null ? null : Needed(view, device), problems));
        }

        GuestAgentCheck? agent = null;
        if (command.CheckGuestAgent)
        {
            agent = await PingAgentAsync(session, runState, ct).ConfigureAwait(false);
            if (!agent.Answers) problems.Add($"VM {vm}: the guest agent does not answer: {agent.Error}");
        }
        var result = new InspectVmResult($"{qemu.Major}.{qemu.Minor}.{qemu.Micro}", runState, disks, targets, agent, problems)
        {
            DisksUnder = command.Under is { } under ? DisksUnderFolder.Find(vm, under, disks) : null,
        };
        Log.Inspected(context.Logger, vm, disks.Count, targets.Count, problems.Count);
        return result;
    }

    /// <summary>The bytes a copy of <paramref name="device"/> writes: what its image has allocated, else its virtual size.</summary>
    private static long? Needed(BlockView view, string device)
    {
        var inserted = view.Device(device)?.Inserted;
        var image = inserted?.Image ?? (inserted is null ? view.Node(device)?.Image : view.Node(inserted.NodeName)?.Image);
        return image is null ? null : image.ActualSize ?? image.VirtualSize;
    }

    /// <summary>
    /// One guest-ping, under the quiesce lock (the agent's channel is the quiesce's too). The channel is closed again unless
    /// a lease holds it, as a quiesce that does not freeze leaves it.
    /// </summary>
    private static async Task<GuestAgentCheck> PingAgentAsync(VmSession session, string runState, CancellationToken ct)
    {
        if (!session.Agent.IsConfigured) return new GuestAgentCheck(false, "no guest agent is configured for this VM");
        using var scope = await session.LockQuiesceAsync(ct).ConfigureAwait(false);
        try
        {
            var agent = await session.Agent.ConnectAsync(AgentPingTimeout, ct).ConfigureAwait(false);
            await agent.PingAsync(AgentPingTimeout, ct).ConfigureAwait(false);
            return new GuestAgentCheck(true, null);
        }
        catch (HostCommandException e)
        {
            return new GuestAgentCheck(false, e.Message);
        }
        catch (QmpException e)
        {
            var why = runState == "running" ? e.Message : $"{e.Message} (the VM is {runState})";
            return new GuestAgentCheck(false, $"no answer to guest-ping within {AgentPingTimeout.TotalSeconds:0.#} s: {why}");
        }
        finally
        {
            if (scope.Lease is null) await session.Agent.CloseAsync().ConfigureAwait(false);
        }
    }
}
