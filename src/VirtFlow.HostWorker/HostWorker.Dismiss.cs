using VirtFlow.Contracts;
using VirtFlow.Qmp;

namespace VirtFlow.HostWorker;

// DismissJobs: job-dismiss concluded jobs, then remove the nodes they left that no device uses.
public sealed partial class HostWorker
{
    private async Task<string?> DismissAsync(VmSession session, DismissJobs command, CancellationToken ct)
    {
        var ids = JobIds(session, nameof(DismissJobs), command.JobIds);
        var vm = session.Name;
        using var held = await VmSession.LockAsync(session.JobsLock, ct).ConfigureAwait(false);
        var client = await session.GetClientAsync(ct).ConfigureAwait(false);
        var view = await BlockView.LoadAsync(client, ct).ConfigureAwait(false);
        var running = ids.Where(id => view.Job(id) is { } job && job.Status != JobStatus.Concluded).ToList();
        if (running.Count > 0)
            throw new HostCommandException(HostErrorClasses.JobNotReady, $"VM {vm}: DismissJobs: " +
                string.Join("; ", running.Select(id => $"job {id}{session.DiskOf(id)} is {view.Job(id)!.Status}, not concluded")) + "; nothing was dismissed");

        var states = ids.Select(id => State(session, view, id, acted: view.Job(id) is not null)).ToList();
        var dismissals = ids.Where(id => view.Job(id) is not null).Select(id => (Id: id, Call: client.JobDismissAsync(id, null, ct))).ToList();
        var problems = new List<string>();
        foreach (var (id, call) in dismissals)
        {
            try
            {
                await call.ConfigureAwait(false);
            }
            catch (QmpException e) when (e.IsQemuError)
            {
                problems.Add($"job {id}{session.DiskOf(id)}: job-dismiss: {e.Description}");
            }
        }

        // The nodes these jobs leave: the target (used by the device after a pivot, else unused) and the source
        // (unused after a pivot) as recorded, the derived target name, and the nodes the command names.
        var candidates = new List<string>();
        foreach (var id in ids)
        {
            if (session.Mirrors.TryGetValue(id, out var record))
            {
                if (record.SourceNode is { } source) candidates.Add(source);
                candidates.Add(record.TargetNode);
            }
            candidates.Add(JobNames.TargetNode(id));
        }
        candidates.AddRange(command.Nodes ?? []);
        var after = await BlockView.LoadAsync(client, ct).ConfigureAwait(false);
        var removed = new List<string>();
        var kept = new List<KeptNode>();
        foreach (var node in candidates.Where(n => !string.IsNullOrWhiteSpace(n)).Distinct(StringComparer.Ordinal))
        {
            if (after.Node(node) is null) continue;
            if (after.DeviceUsing(node) is { } device)
            {
                kept.Add(new KeptNode(node, $"used by device {device}"));
                continue;
            }
            try
            {
                await client.BlockdevDelAsync(node, null, ct).ConfigureAwait(false);
                removed.Add(node);
            }
            catch (QmpException e) when (e.IsQemuError)
            {
                Log.NodeKept(_logger, vm, node, e.Description);
                kept.Add(new KeptNode(node, e.Description));
            }
        }
        foreach (var id in ids)
        {
            session.Mirrors.TryRemove(id, out _);
            session.SoftCancelled.TryRemove(id, out _);
        }
        var result = HostResultJson.Serialize(new DismissJobsResult(states, removed, kept));
        if (problems.Count > 0)
            throw new HostCommandException(HostErrorClasses.JobFailed, $"VM {vm}: DismissJobs: {string.Join("; ", problems)}") { ResultJson = result };
        return result;
    }
}
